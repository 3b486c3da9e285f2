"""quality.py's work: the real compressor's quality with a model folder under several settings
(agreement, retention, integrity, meaning, side by side), as one report."""
