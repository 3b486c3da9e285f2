"""train.py's work: the run folder's inputs (tokenizer, encoded windows), the model and
optimiser, and the resumable step loop."""
