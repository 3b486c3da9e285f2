"""A Hugging Face token-classifier checkpoint folder (LLMLingua-2: BERT or XLM-R) converted into a
model folder (models/MANIFEST.md): model.onnx (int8 or fp32), the tokenizer file, manifest.json
and MODEL_CARD.md (convert_hf.py). User errors are hf_checkpoint.CheckpointError."""
import json
import os
import shutil
import sys
import tempfile

import torch

from . import hf_checkpoint as hf
from . import tokenizer_train as tk
from .export import export_onnx
from .quantize import quantize_file

PROTOBUF_LIMIT = 2 << 30  # one ONNX file, as onnxruntime-web loads it
WORDPIECE_SPECIALS = ("[CLS]", "[SEP]", "[PAD]", "[UNK]")
SPM_FILE = "sentencepiece.bpe.model"


def warn(msg):
    print(f"convert_hf: warning: {msg}", file=sys.stderr)


def prepare_tokenizer(src, out, fam, bc):
    """Writes the tokenizer file into `out`; returns the manifest's tokenizer entry."""
    if fam.tokenizer == "wordpiece":
        lines = hf.wordpiece_vocab(src)
        missing = [t for t in WORDPIECE_SPECIALS if t not in lines]
        if missing:
            raise hf.CheckpointError(f"the WordPiece vocabulary has no {', '.join(missing)}")
        if len(lines) > bc.vocab_size:
            raise hf.CheckpointError(f"the vocabulary has {len(lines)} tokens but the model only "
                                     f"{bc.vocab_size} embeddings")
        with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        lower, strip = hf.wordpiece_options(src)
        entry = {"kind": "wordpiece", "file": "vocab.txt", "lowercase": lower}
        if strip is not None:
            entry["strip_accents"] = strip
        return entry
    path = os.path.join(src, SPM_FILE)
    if not os.path.isfile(path):
        raise hf.CheckpointError(f"missing {SPM_FILE} in {src}")
    if shutil.which("spm_export_vocab"):
        try:
            pieces = len(tk.load_pieces(path))
        except Exception:  # noqa: BLE001 - the tool rejects the file
            raise hf.CheckpointError(f"{path} is not a SentencePiece model") from None
        # fairseq layout: 4 specials replace spm's first three ids, +1 offset, + <mask>.
        if pieces + 2 > bc.vocab_size:
            raise hf.CheckpointError(f"the SentencePiece model has {pieces} pieces; with the fairseq "
                                     f"layout that needs {pieces + 2} embeddings, the model has {bc.vocab_size}")
    else:
        warn("spm_export_vocab not found: the tokenizer's size was not checked against the model")
    shutil.copyfile(path, os.path.join(out, SPM_FILE))
    return {"kind": "sentencepiece", "file": SPM_FILE, "fairseq_offset": True}


def unigram_table(text_path, spm_path, vocab_size):
    """-log unigram frequency per model id over a text file (SentencePiece models only)."""
    if not os.path.isfile(text_path):
        raise hf.CheckpointError(f"missing --unigram-from file: {text_path}")
    with open(text_path, encoding="utf-8", errors="replace") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    lines = [ln for ln in lines if ln.strip()]
    pieces = tk.load_pieces(spm_path)
    unk = pieces.index("<unk>") if "<unk>" in pieces else 0
    # Same id mapping as the core's fairseq layout: spm unk -> 3, every other id + 1.
    ids = [[3 if i == unk else i + 1 for i in row] for row in tk.encode_lines(spm_path, lines)]
    return tk.neg_log_freq(ids, vocab_size), len(lines)


def model_card(name, src, cfg, bc, source, tok, onnx_kind, label_note, lexical_note):
    origin = cfg.get("_name_or_path") or os.path.basename(os.path.abspath(src))
    return f"""# {name}

Converted from the Hugging Face checkpoint `{origin}` with `models/convert_hf.py`.

- Source: `{os.path.basename(os.path.abspath(src))}/`, weights from `{source}`.
- Architecture: `{cfg.get('model_type')}` token classifier, {bc.num_hidden_layers} layers, hidden
  {bc.hidden_size}, {bc.num_attention_heads} heads, intermediate {bc.intermediate_size}, vocabulary {bc.vocab_size}.
- Tokenizer: {tok['kind']} (`{tok['file']}`).
- ONNX: {onnx_kind}; outputs `logits` and `hidden` (last encoder layer).
- Preserve label: {label_note}.
- Lexical outlier table: {lexical_note}.

Weights, license and intended use are those of the source checkpoint; see its own model card.
The conversion changes the numbers only by float rounding{' and int8 weight quantisation' if onnx_kind.startswith('int8') else ''}.
"""


def folder_metadata(args, out, cfg, fam, bc):
    """Tokenizer file into `out`, then the manifest (without its onnx) and the card's notes."""
    tok = prepare_tokenizer(args.checkpoint, out, fam, bc)
    offset = bc.pad_token_id + 1 if fam.position_ids == "roberta" else 0
    max_seq = min(args.max_seq_len, bc.max_position_embeddings - offset)
    if max_seq < 3:
        raise hf.CheckpointError(f"max_seq_len {max_seq} is too small (max_position_embeddings "
                                 f"{bc.max_position_embeddings})")
    label, label_warning = hf.preserve_label(cfg)
    if label_warning:
        warn(label_warning)
    manifest = {
        "format": "mooscomp-model/1",
        "name": args.name or os.path.basename(os.path.abspath(args.checkpoint)),
        "onnx": "model.onnx",
        "tokenizer": tok,
        "max_seq_len": max_seq,
        "preserve_label": label,
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "outputs": {"logits": "logits", "hidden": "hidden"},
        "hidden_size": bc.hidden_size,
        "defaults": {"outlier": "none", "alpha": 1.0},
    }
    notes = {"label": f"{label}" + (" (assumed: id2label names none)" if label_warning else " (from id2label)"),
             "lexical": "none"}
    if args.unigram_from:
        if tok["kind"] != "sentencepiece":
            raise hf.CheckpointError("--unigram-from needs a SentencePiece tokenizer (XLM-R); "
                                     "WordPiece tables are not computed here")
        table, n = unigram_table(args.unigram_from, os.path.join(out, tok["file"]), bc.vocab_size)
        manifest["lexical"] = {"neg_log_freq": [round(v, 4) for v in table]}
        notes["lexical"] = f"-log unigram frequency over {n} lines of `{os.path.basename(args.unigram_from)}`"
    return manifest, notes


def convert(args):
    """args: convert_hf.py's parsed options. Returns what was written (folder, weights, file sizes)."""
    src, out = args.checkpoint, args.out
    if os.path.isdir(out) and os.listdir(out) and not args.force:
        raise hf.CheckpointError(f"{out} exists and is not empty (use --force to overwrite)")
    model, cfg, fam, bc, source = hf.load_model(src)
    fp32_bytes = sum(p.numel() * 4 for p in model.parameters())
    if args.fp32 and fp32_bytes >= PROTOBUF_LIMIT:
        raise hf.CheckpointError(f"fp32 weights are {fp32_bytes / 2**30:.2f} GiB: one ONNX file must stay "
                                 "under 2 GiB for onnxruntime-web; convert without --fp32 (int8)")
    # Everything is written to a scratch folder first: an error leaves no half-written --out.
    # A model over 2 GiB is exported there with external tensor files, never shipped.
    with tempfile.TemporaryDirectory() as stage:
        staged = os.path.join(stage, "out")
        os.makedirs(staged)
        manifest, notes = folder_metadata(args, staged, cfg, fam, bc)  # user errors before the slow part
        fp32 = os.path.join(stage, "onnx", "model.onnx")
        os.makedirs(os.path.dirname(fp32))
        with torch.no_grad():
            export_onnx(model, fp32)
        del model  # the torch copy of the weights is not needed to quantise: lower peak memory
        if args.fp32:
            shutil.copyfile(fp32, os.path.join(staged, "model.onnx"))
        else:
            quantize_file(fp32, os.path.join(staged, "model.onnx"), args.quantize)
        onnx_kind = "fp32" if args.fp32 else f"int8 weights, '{args.quantize}' mode (models/mooscomp_models/quantize.py)"
        with open(os.path.join(staged, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        with open(os.path.join(staged, "MODEL_CARD.md"), "w") as f:
            f.write(model_card(manifest["name"], src, cfg, bc, source, manifest["tokenizer"], onnx_kind,
                               notes["label"], notes["lexical"]))
        os.makedirs(out, exist_ok=True)
        for n in os.listdir(staged):
            shutil.move(os.path.join(staged, n), os.path.join(out, n))
    sizes = {n: os.path.getsize(os.path.join(out, n)) for n in sorted(os.listdir(out))}
    return {"out": out, "model_type": cfg.get("model_type"), "weights": source, "bytes": sizes}
