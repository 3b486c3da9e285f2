"""Builds the random-weight models the benchmarks time (never committed: bench/out/ is ignored).

    /usr/bin/python3 bench/models/make_bench_models.py [--out bench/out/models]

- `peer-4x312/`: a TinyBERT-sized (4 layers, hidden 312, 12 heads, FFN 1200) fp32 BERT token
  classifier with the bert-base-uncased WordPiece vocabulary, in BOTH layouts in one folder, so
  both sides load the same bytes: transformers.js (config.json, tokenizer.json,
  tokenizer_config.json, onnx/model.onnx) and ours (manifest.json -> onnx/model.onnx, vocab.txt).
- `default-size/`: what our default model will look like (4x256, int8 weights, a 12k-piece
  SentencePiece tokenizer) for the "default model" figures while models/default/ does not exist.

Random weights are fine for timing; the classifier head is widened so that preserve
probabilities spread over (0, 1) and the budget has distinct scores to rank.
Exits with status 3 and a message when the shared data (vocabulary, corpus) is absent.
"""
import argparse
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
BERT_UNCASED = os.path.join(SHARED, "tokenizers", "bert-base-uncased")
SPM_CORPUS = os.path.join(SHARED, "pretrain", "qmsum", "train.txt")
SEED = 20240611


def build_classifier(vocab_size, layers, hidden, heads, intermediate):
    import torch
    from mooscomp_models.bert import BertConfig, BertForTokenClassification

    torch.manual_seed(SEED)
    cfg = BertConfig(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers,
                     num_attention_heads=heads, intermediate_size=intermediate)
    model = BertForTokenClassification(cfg)
    with torch.no_grad():
        torch.nn.init.normal_(model.classifier.weight, std=0.35)
    return model.eval()


def our_manifest(name, onnx, tokenizer, hidden_size):
    return {
        "format": "mooscomp-model/1",
        "name": name,
        "onnx": onnx,
        "tokenizer": tokenizer,
        "max_seq_len": 512,
        "preserve_label": 1,
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "outputs": {"logits": "logits", "hidden": "hidden"},
        "hidden_size": hidden_size,
        "defaults": {"outlier": "none", "alpha": 1.0},
    }


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def make_peer(out):
    from mooscomp_models.export import export_onnx

    folder = os.path.join(out, "peer-4x312")
    if os.path.exists(os.path.join(folder, "manifest.json")):
        return folder
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    with open(os.path.join(BERT_UNCASED, "vocab.txt"), encoding="utf-8") as f:
        vocab_size = sum(1 for _ in f)
    layers, hidden, heads, ffn = 4, 312, 12, 1200
    model = build_classifier(vocab_size, layers, hidden, heads, ffn)
    export_onnx(model, os.path.join(folder, "onnx", "model.onnx"))
    shutil.copyfile(os.path.join(BERT_UNCASED, "vocab.txt"), os.path.join(folder, "vocab.txt"))

    # transformers.js layout. The shared tokenizer.json pads and truncates to 128 by default;
    # the peer passes its own padding/truncation, but drop those defaults so nothing else applies.
    with open(os.path.join(BERT_UNCASED, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    tok["truncation"] = None
    tok["padding"] = None
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False)
    write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": True, "strip_accents": None,
        "tokenize_chinese_chars": True, "model_max_length": 512, "clean_up_tokenization_spaces": False,
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
        "mask_token": "[MASK]",
    })
    write_json(os.path.join(folder, "config.json"), {
        "model_type": "bert", "architectures": ["BertForTokenClassification"],
        "vocab_size": vocab_size, "hidden_size": hidden, "num_hidden_layers": layers,
        "num_attention_heads": heads, "intermediate_size": ffn, "hidden_act": "gelu",
        "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        "pad_token_id": 0, "id2label": {"0": "LABEL_0", "1": "LABEL_1"},
        "label2id": {"LABEL_0": 0, "LABEL_1": 1},
    })
    # Ours, pointing at the very same ONNX file.
    write_json(os.path.join(folder, "manifest.json"), our_manifest(
        "bench-peer-4x312-random", "onnx/model.onnx",
        {"kind": "wordpiece", "file": "vocab.txt", "lowercase": True, "strip_accents": True}, hidden))
    return folder


def make_default_size(out):
    from mooscomp_models import tokenizer_train as tk
    from mooscomp_models.export import export_onnx
    from mooscomp_models.quantize import quantize_file

    folder = os.path.join(out, "default-size")
    if os.path.exists(os.path.join(folder, "manifest.json")):
        return folder
    os.makedirs(folder, exist_ok=True)
    spm = os.path.join(folder, "tokenizer.model")
    tk.train_spm(SPM_CORPUS, spm, 12000, hard_vocab_limit=False, threads=2)
    vocab_size = len(tk.load_pieces(spm))
    model = build_classifier(vocab_size, 4, 256, 4, 1024)
    fp32 = os.path.join(folder, "model.fp32.onnx")
    export_onnx(model, fp32)
    quantize_file(fp32, os.path.join(folder, "model.onnx"))
    os.remove(fp32)
    write_json(os.path.join(folder, "manifest.json"), our_manifest(
        "bench-default-size-4x256-int8-random", "model.onnx",
        {"kind": "sentencepiece", "file": "tokenizer.model", "fairseq_offset": False}, 256))
    return folder


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "models"))
    args = p.parse_args()
    missing = [x for x in (os.path.join(BERT_UNCASED, "vocab.txt"), os.path.join(BERT_UNCASED, "tokenizer.json"),
                           SPM_CORPUS) if not os.path.exists(x)]
    if missing:
        print(f"skip: shared data missing ({', '.join(missing)})")
        sys.exit(3)
    os.makedirs(args.out, exist_ok=True)
    for folder in (make_peer(args.out), make_default_size(args.out)):
        print(f"ok: {folder}")


if __name__ == "__main__":
    main()
