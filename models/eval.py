"""Evaluates token classifiers on the Google test set (held out from training).

    /usr/bin/python3 models/eval.py --data ../shared/data --model models/runs/<run>/model.pt [more.pt ...]
    /usr/bin/python3 models/eval.py --data ../shared/data --onnx models/default/model.onnx \
        --onnx-ref models/default/model.fp32.onnx --tokenizer models/default/tokenizer.model

For PyTorch checkpoints: token F1/accuracy (preserve class, p > 0.5), the mean inter-class
cosine S^L of the final layer, and word-level F1 at the reference's own keep rate (keep the
k highest-scoring words of each sentence, k = the words the reference keeps), next to two
baselines, random and drop-stopwords-first. For ONNX files (run in onnxruntime-web under
Node, single-threaded): the same F1s, and with --onnx-ref the label agreement with a
reference graph (int8 vs fp32).

This is the quick check on PyTorch checkpoints while training. The figures that choose a model
(LLM-style and human agreement through the real compressor, retention of critical tokens at
2x/3x/5x, integrity, outlier settings) come from models/quality.py.
"""
import argparse
import json

from mooscomp_models.evaluation import evaluate_all


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--model", nargs="*", default=[], help="model.pt checkpoints")
    p.add_argument("--onnx", help="an ONNX model to run in onnxruntime-web")
    p.add_argument("--onnx-ref", help="a second ONNX (e.g. fp32) to compare --onnx against")
    p.add_argument("--tokenizer", help="needed with --onnx; default for .pt: the recorded one")
    p.add_argument("--limit", type=int, default=None, help="first N test sentences only")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--device", default="cpu", help="for .pt checkpoints: cpu, cuda")
    p.add_argument("--sets", type=lambda v: v.split(","), default=None,
                   help="instead of the Google test set: sat (LLM-style validation passages) and/or broadcast "
                        "(word F1 at the references' rates; the whole picture is models/quality.py's)")
    args = p.parse_args(argv)

    results = evaluate_all(args)
    print(json.dumps(results, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
