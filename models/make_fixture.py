"""Builds models/fixture/: a tiny random-weight BERT token classifier for tests.

Deterministic: a fixed seed and a tokenizer trained on the committed `fixture_corpus.txt`.
Writes model.onnx (fp32), tokenizer.model, manifest.json and reference.json (PyTorch logits and
hidden states for a few inputs, so runtime tests can check their numbers without Python).

    /usr/bin/python3 models/make_fixture.py
"""
import os

from mooscomp_models.fixture import write_fixture

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    write_fixture(os.path.join(HERE, "fixture_corpus.txt"), os.path.join(HERE, "fixture"))


if __name__ == "__main__":
    main()
