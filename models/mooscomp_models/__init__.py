"""Training, export and quantisation code for mooscomp's token classifier."""
