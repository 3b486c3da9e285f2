"""The committed fixture model: PyTorch rebuild == reference.json == onnxruntime-web.

Run: PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models
The onnxruntime-web part needs `node` and the repo's node_modules; it skips otherwise.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import torch

from mooscomp_models.bert import BertConfig, BertForTokenClassification
from mooscomp_models.export import export_onnx
from mooscomp_models.fixture import build_model
from mooscomp_models.onnx_weights import model_from_onnx
from mooscomp_models.quantize import quantize_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FIXTURE = os.path.join(ROOT, "models", "fixture")
ORT_RUN = os.path.join(ROOT, "models", "node", "ort_run.mjs")
HAVE_ORT_WEB = shutil.which("node") and os.path.isdir(os.path.join(ROOT, "node_modules", "onnxruntime-web"))


def load_reference():
    with open(os.path.join(FIXTURE, "reference.json")) as f:
        return json.load(f)


class FixtureTest(unittest.TestCase):
    def test_manifest(self):
        with open(os.path.join(FIXTURE, "manifest.json")) as f:
            m = json.load(f)
        self.assertEqual(m["format"], "mooscomp-model/1")
        self.assertEqual(m["tokenizer"]["kind"], "sentencepiece")
        self.assertFalse(m["tokenizer"]["fairseq_offset"])
        self.assertEqual(m["preserve_label"], 1)
        self.assertEqual(m["max_seq_len"], 512)
        for name in ("onnx", ):
            self.assertTrue(os.path.isfile(os.path.join(FIXTURE, m[name])))
        self.assertTrue(os.path.isfile(os.path.join(FIXTURE, m["tokenizer"]["file"])))
        size = sum(os.path.getsize(os.path.join(FIXTURE, f)) for f in os.listdir(FIXTURE))
        self.assertLess(size, 1_000_000)

    def test_pytorch_rebuild_matches_reference(self):
        ref = load_reference()
        with open(os.path.join(FIXTURE, "manifest.json")) as f:
            vocab = len(json.load(f)["lexical"]["neg_log_freq"])
        model = build_model(vocab)
        with torch.no_grad():
            logits, hidden = model(torch.tensor(ref["input_ids"]), torch.tensor(ref["attention_mask"]))
        self.assertLess((logits - torch.tensor(ref["logits"])).abs().max().item(), 1e-5)
        self.assertLess((hidden - torch.tensor(ref["hidden"])).abs().max().item(), 1e-5)
        p = torch.softmax(logits, -1)[..., 1]
        self.assertGreater(p.std().item(), 0.1)  # scores must differ between tokens

    @unittest.skipUnless(HAVE_ORT_WEB, "node or node_modules/onnxruntime-web missing")
    def test_onnxruntime_web_matches_pytorch(self):
        ref = load_reference()
        with tempfile.TemporaryDirectory() as d:
            inp = os.path.join(d, "in.json")
            with open(inp, "w") as f:
                json.dump({"input_ids": ref["input_ids"], "attention_mask": ref["attention_mask"]}, f)
            out = subprocess.run(["node", ORT_RUN, os.path.join(FIXTURE, "model.onnx"), inp],
                                 cwd=ROOT, check=True, capture_output=True, timeout=120)
        got = json.loads(out.stdout)
        for name in ("logits", "hidden"):
            want = torch.tensor(ref[name])
            self.assertEqual(list(got["dims"][name]), list(want.shape))
            diff = (torch.tensor(got[name]).view(want.shape) - want).abs().max().item()
            self.assertLess(diff, 1e-4, name)


    def test_int8_graph(self):
        import onnx
        with tempfile.TemporaryDirectory() as d:
            q = quantize_file(os.path.join(FIXTURE, "model.onnx"), os.path.join(d, "q.onnx"), "dynamic")
        inits = {t.name: t for t in q.graph.initializer}
        ops = [n.op_type for n in q.graph.node]
        self.assertEqual(ops.count("MatMulInteger"), 2 * 6 + 1)  # 6 per layer + the head
        for n in q.graph.node:  # no fp32 weight matrix is left in a MatMul or a table Gather
            if n.op_type == "MatMul":
                self.assertNotIn(n.input[1], inits)
        self.assertNotIn("bert.embeddings.word_embeddings.weight", inits)
        int8 = sum(t.data_type == onnx.TensorProto.INT8 for t in inits.values())
        self.assertEqual(int8, 13 + 2)  # 13 weights, word and position tables

    @unittest.skipUnless(HAVE_ORT_WEB, "node or node_modules/onnxruntime-web missing")
    def test_int8_in_onnxruntime_web_agrees_with_fp32(self):
        ref = load_reference()
        with tempfile.TemporaryDirectory() as d:
            quantize_file(os.path.join(FIXTURE, "model.onnx"), os.path.join(d, "q.onnx"), "dynamic")
            inp = os.path.join(d, "in.json")
            with open(inp, "w") as f:
                json.dump({"input_ids": ref["input_ids"], "attention_mask": ref["attention_mask"]}, f)
            out = subprocess.run(["node", ORT_RUN, os.path.join(d, "q.onnx"), inp],
                                 cwd=ROOT, check=True, capture_output=True, timeout=120)
        got = json.loads(out.stdout)
        want = torch.tensor(ref["logits"])
        logits = torch.tensor(got["logits"]).view(want.shape)
        mask = torch.tensor(ref["attention_mask"]).bool()
        agree = (logits.argmax(-1) == want.argmax(-1))[mask].float().mean().item()
        self.assertGreaterEqual(agree, 0.95)
        pq, pf = torch.softmax(logits, -1)[..., 1][mask], torch.softmax(want, -1)[..., 1][mask]
        self.assertLess((pq - pf).abs().max().item(), 0.1)


    def test_weight_only_int8_graph(self):
        """'weight' mode: int8 weights dequantised from constants only, no activation quantisation."""
        import onnx
        with tempfile.TemporaryDirectory() as d:
            q = quantize_file(os.path.join(FIXTURE, "model.onnx"), os.path.join(d, "q.onnx"), "weight")
            fp32_size = os.path.getsize(os.path.join(FIXTURE, "model.onnx"))
            self.assertLess(os.path.getsize(os.path.join(d, "q.onnx")), fp32_size / 2)
        inits = {t.name: t for t in q.graph.initializer}
        ops = [n.op_type for n in q.graph.node]
        for op in ("DynamicQuantizeLinear", "MatMulInteger", "QuantizeLinear"):
            self.assertNotIn(op, ops)
        made = {o: n for n in q.graph.node for o in n.output}
        weighted = 0
        for n in q.graph.node:
            if n.op_type != "MatMul":
                continue
            self.assertNotIn(n.input[1], inits)  # no fp32 weight matrix left
            mul = made[n.input[1]]  # Mul(Cast(int8 constant), per-column scale constant)
            if mul.op_type != "Mul":
                continue  # attention's activation-activation MatMuls
            cast = made[mul.input[0]]
            self.assertEqual((cast.op_type, inits[cast.input[0]].data_type), ("Cast", onnx.TensorProto.INT8))
            self.assertIn(mul.input[1], inits)
            weighted += 1
        self.assertEqual(weighted, 2 * 6 + 1)  # 6 per layer + the head
        int8 = sum(t.data_type == onnx.TensorProto.INT8 for t in inits.values())
        self.assertEqual(int8, 13 + 2)  # 13 weights, word and position tables

    @unittest.skipUnless(HAVE_ORT_WEB, "node or node_modules/onnxruntime-web missing")
    def test_weight_only_int8_computes_in_fp32(self):
        """In onnxruntime-web the 'weight' model equals fp32 arithmetic on the dequantised
        weights (PyTorch on the weights read back), to float rounding; 'dynamic' does not
        (its activations are rounded to 8 bits at run time)."""
        ref = load_reference()
        ids, mask = torch.tensor(ref["input_ids"]), torch.tensor(ref["attention_mask"])
        with tempfile.TemporaryDirectory() as d:
            inp = os.path.join(d, "in.json")
            with open(inp, "w") as f:
                json.dump({"input_ids": ref["input_ids"], "attention_mask": ref["attention_mask"]}, f)
            diffs = {}
            for mode in ("weight", "dynamic"):
                q = os.path.join(d, f"{mode}.onnx")
                quantize_file(os.path.join(FIXTURE, "model.onnx"), q, mode)
                with torch.no_grad():
                    want, _ = model_from_onnx(q)(ids, mask)
                out = subprocess.run(["node", ORT_RUN, q, inp], cwd=ROOT, check=True, capture_output=True, timeout=120)
                got = torch.tensor(json.loads(out.stdout)["logits"]).view(want.shape)
                diffs[mode] = (got - want).abs()[mask.bool()].max().item()
                if mode == "weight":
                    fp32 = torch.tensor(ref["logits"])
                    agree = (got.argmax(-1) == fp32.argmax(-1))[mask.bool()].float().mean().item()
                    self.assertGreaterEqual(agree, 0.95)
        self.assertLess(diffs["weight"], 1e-4)
        self.assertGreater(diffs["dynamic"], 1e-3)  # what the weight mode removes

    def test_alibi_keeps_the_state_dict_names(self):
        cfg = dict(vocab_size=50, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64)
        plain = BertForTokenClassification(BertConfig(**cfg)).state_dict()
        alibi = BertForTokenClassification(BertConfig(position_bias="alibi", **cfg)).state_dict()
        self.assertEqual(list(plain), list(alibi))

    @unittest.skipUnless(HAVE_ORT_WEB, "node or node_modules/onnxruntime-web missing")
    def test_alibi_export_in_onnxruntime_web(self):
        torch.manual_seed(0)
        model = BertForTokenClassification(BertConfig(vocab_size=300, hidden_size=64, num_hidden_layers=2,
                                                      num_attention_heads=2, intermediate_size=128,
                                                      position_bias="alibi")).eval()
        ids = torch.randint(5, 300, (2, 40))
        mask = torch.ones_like(ids)
        mask[1, 30:] = 0
        ids[1, 30:] = 0
        with torch.no_grad():
            want, _ = model(ids, mask)
        with tempfile.TemporaryDirectory() as d:
            export_onnx(model, os.path.join(d, "m.onnx"))
            inp = os.path.join(d, "in.json")
            with open(inp, "w") as f:
                json.dump({"input_ids": ids.tolist(), "attention_mask": mask.tolist()}, f)
            out = subprocess.run(["node", ORT_RUN, os.path.join(d, "m.onnx"), inp],
                                 cwd=ROOT, check=True, capture_output=True, timeout=120)
        got = torch.tensor(json.loads(out.stdout)["logits"]).view(want.shape)
        self.assertLess((got - want).abs()[mask.bool()].max().item(), 1e-4)


if __name__ == "__main__":
    unittest.main()
