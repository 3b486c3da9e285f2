"""A trained classifier written out as a model folder (models/MANIFEST.md): int8 model.onnx
(and model.fp32.onnx), tokenizer.model, manifest.json with the -log unigram table and,
given training text, the outlier statistics."""
import json
import os
import shutil

from . import ref_stats
from . import tokenizer_train as tk
from .export import export_onnx
from .quantize import quantize_file


def neg_log_freq_for(tokenizer, vocab_size):
    """The table train.py wrote next to the tokenizer when it built it."""
    cached = tokenizer + ".neglogfreq.json"
    if os.path.exists(cached):
        with open(cached) as f:
            table = json.load(f)
        if len(table) == vocab_size:
            return table
    raise SystemExit(f"missing {cached}: the table is written when train.py builds the tokenizer")


def manifest_for(cfg, tokenizer, name, max_seq_len, outlier, alpha):
    vocab_size = len(tk.load_pieces(tokenizer))
    assert vocab_size == cfg.vocab_size, (vocab_size, cfg.vocab_size)
    return {
        "format": "mooscomp-model/1",
        "name": name or f"mooscomp-{cfg.num_hidden_layers}x{cfg.hidden_size}",
        "onnx": "model.onnx",
        "tokenizer": {"kind": "sentencepiece", "file": "tokenizer.model", "fairseq_offset": False},
        "max_seq_len": min(max_seq_len, cfg.max_position_embeddings),
        "preserve_label": 1,
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "outputs": {"logits": "logits", "hidden": "hidden"},
        "hidden_size": cfg.hidden_size,
        "lexical": {"neg_log_freq": [round(v, 4) for v in neg_log_freq_for(tokenizer, vocab_size)]},
        "defaults": {"outlier": outlier, "alpha": alpha},
    }


def write_model_folder(model, tokenizer, out, manifest_args, quantize, keep_fp32=True, stats_units=None):
    """Writes the folder; manifest_args: manifest_for's (name, max_seq_len, outlier, alpha).
    stats_units: training text for the outlier statistics (ref_stats.read_units), or None."""
    os.makedirs(out, exist_ok=True)
    fp32 = os.path.join(out, "model.fp32.onnx")
    export_onnx(model, fp32)
    quantize_file(fp32, os.path.join(out, "model.onnx"), quantize)
    if not keep_fp32:
        os.remove(fp32)
    shutil.copyfile(tokenizer, os.path.join(out, "tokenizer.model"))
    manifest = manifest_for(model.config, tokenizer, *manifest_args)
    if stats_units is not None:
        stats = ref_stats.compute_stats(model, tokenizer, stats_units, manifest["lexical"]["neg_log_freq"])
        ref_stats.check_stats(stats)
        ref_stats.add_to_manifest(manifest, stats)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return {n: os.path.getsize(os.path.join(out, n)) for n in sorted(os.listdir(out))}
