"""The real compressor (wasm core + onnxruntime-web) over many texts and option sets in one
process, through models/node/compress_many.mjs."""
import json
import os
import sys
import tempfile

from ..node import run_helper


def compress_all(model, items, configs, scores=False, prompt=False):
    """Per item, per config: compress_many.mjs's result (kept spans, words and scores with
    `scores`, the output text with `prompt`). configs=None: each item carries its own."""
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        with open(inp, "w") as f:
            json.dump({"configs": configs, "scores": scores, "prompt": prompt,
                       "items": [{k: it[k] for k in ("text", "configs", "protect", "json") if k in it} for it in items]}, f)
        run_helper("compress_many.mjs", os.path.abspath(model), inp, outp, check=True)
        with open(outp) as f:
            res = json.load(f)
    print(f"  {len(items)} texts x {len(configs or items[0]['configs'])} configs: {res['inferMs'] / 1000:.0f}s in ORT, "
          f"{res['totalMs'] / 1000:.0f}s in all", file=sys.stderr)
    return res["results"]
