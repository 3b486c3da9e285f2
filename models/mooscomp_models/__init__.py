"""The code behind models/'s command-line scripts: mooscomp's token classifier, its training,
export and int8 quantisation, conversion of Hugging Face checkpoints, and its evaluation
through the real compressor."""
