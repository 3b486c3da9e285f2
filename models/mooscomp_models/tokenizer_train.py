"""SentencePiece unigram tokenizer: training, encoding and the unigram -log-frequency table.

Python has no `sentencepiece` module here, so this drives the `spm_train`, `spm_encode` and
`spm_export_vocab` tools. Encoding through the real library matters: the wasm core tokenises
with the same library and the same .model, so ids match exactly.

Normalisation (stored inside the .model, applied identically at inference):
- `nmt_nfkc_cf`: NFKC plus Unicode case folding. The labelled training sentences are
  lower-cased, so a cased tokenizer would see only lower case in training and unseen
  capitalised pieces at inference; folding case in the normaliser makes "Paris" and "paris"
  the same ids while the core still slices the original, cased text through the alignment.
- `split_digits`: every digit is its own piece, so numbers of any length tokenise the same way
  and nothing number-specific has to be learned per value. (Masked `##` numbers in the
  training labels are replaced with sampled digit strings by data.py, so the model sees digits.)
Special ids are fixed: <pad>=0, <unk>=1, <s>=2 (CLS), </s>=3 (SEP), and optionally <mask>=4.
"""
import math
import os
import shutil
import subprocess
import tempfile

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
MASK_ID = 4  # with mask_symbol=True: a control symbol, never produced from text (MLM only)


def train_spm(input_path, out_model, vocab_size, input_sentence_size=0, hard_vocab_limit=True,
              threads=1, mask_symbol=False, extra=(), byte_fallback=False, required_chars=""):
    """Trains a unigram model on the text file `input_path` and writes it to `out_model`.

    byte_fallback: a character outside the vocabulary becomes its UTF-8 bytes (pieces `<0x00>`
    to `<0xFF>`, 256 ids after the special ones) instead of <unk>, so no text is unknown.
    required_chars: characters that get pieces whatever --character_coverage decides.

    Runs in a scratch folder with fixed relative names: the trainer records its input and
    output paths inside the .model, and fixed names keep the file reproducible byte for byte.
    """
    work = tempfile.mkdtemp()
    os.symlink(os.path.abspath(input_path), os.path.join(work, "input.txt"))
    args = [
        "spm_train",
        "--input=input.txt",
        "--model_prefix=tokenizer",
        f"--vocab_size={vocab_size}",
        "--model_type=unigram",
        "--normalization_rule_name=nmt_nfkc_cf",
        "--split_digits=true",
        "--character_coverage=0.9995",
        f"--pad_id={PAD_ID}", f"--unk_id={UNK_ID}", f"--bos_id={BOS_ID}", f"--eos_id={EOS_ID}",
        f"--hard_vocab_limit={'true' if hard_vocab_limit else 'false'}",
        f"--num_threads={threads}",
        "--max_sentence_length=16384",
        "--minloglevel=1",
    ]
    if input_sentence_size:
        args += [f"--input_sentence_size={input_sentence_size}", "--shuffle_input_sentence=true"]
    if mask_symbol:
        args.append("--control_symbols=<mask>")
    if byte_fallback:
        args.append("--byte_fallback=true")
    if required_chars:
        with open(os.path.join(work, "required.txt"), "w", encoding="utf-8") as f:
            f.write(required_chars)
        args.append("--required_chars_file=required.txt")
    args += list(extra)
    try:
        subprocess.run(args, check=True, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        shutil.copyfile(os.path.join(work, "tokenizer.model"), out_model)
    finally:
        shutil.rmtree(work)
    return out_model


def load_pieces(model_path):
    """id -> piece string, from `spm_export_vocab` (one `piece<TAB>score` per id)."""
    out = subprocess.run(["spm_export_vocab", f"--model={model_path}"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return [line.split("\t")[0] for line in out.split("\n") if line]


def encode_lines(model_path, lines):
    """Encodes each line (no newlines inside) to ids with the real library. Empty line -> []."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.txt")
        with open(src, "w", encoding="utf-8") as f:
            for line in lines:
                assert "\n" not in line and "\r" not in line
                f.write(line + "\n")
        out = subprocess.run(["spm_encode", f"--model={model_path}", "--output_format=id",
                              f"--input={src}"], check=True, capture_output=True).stdout
    rows = out.decode("utf-8").split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    assert len(rows) == len(lines), (len(rows), len(lines))
    return [[int(t) for t in r.split()] for r in rows]


def neg_log_freq(id_lists, vocab_size):
    """-log p(id) with add-one smoothing over the whole vocabulary (the lexical outlier table)."""
    counts = [0] * vocab_size
    for ids in id_lists:
        for i in ids:
            counts[i] += 1
    total = sum(counts) + vocab_size
    return [-math.log((c + 1) / total) for c in counts]


def write_neg_log_freq(model_path, text_path):
    """The -log frequency table of model_path's pieces over text_path (one line a unit), written
    next to the model as `.neglogfreq.json`, where export.py reads it."""
    import json
    with open(text_path, encoding="utf-8") as f:
        lines = [" ".join(line.split()) for line in f]
    table = neg_log_freq(encode_lines(model_path, [line for line in lines if line]), len(load_pieces(model_path)))
    with open(model_path + ".neglogfreq.json", "w") as f:
        json.dump(table, f)
    return table
