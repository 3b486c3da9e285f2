"""models/convert_hf.py on fake Hugging Face checkpoints built here (no network, no real weights).

Three folders with random weights under Hugging Face's names and layouts:
  (a) bert, pytorch_model.bin (torch pickle, old LayerNorm gamma/beta names), vocab.txt
  (b) bert, model.safetensors with F16 weights (written by a tiny writer below), vocab.txt
  (c) xlm-roberta, `roberta.` prefix, model.safetensors F32, sentencepiece.bpe.model
Each is converted to fp32 and int8; the ONNX outputs are checked in onnxruntime-web against a
reference forward pass written here from the raw HF-named tensors, and the JS API compresses
with the converted folder. The Node parts skip without node / node_modules / js/dist.

Run: PYTHONPATH=models /usr/bin/python3 -m unittest tests/models/test_convert_hf.py
"""
import contextlib
import io
import json
import math
import re
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

import torch
import torch.nn.functional as F

import convert_hf  # the CLI (models/ on the path)
from mooscomp_models import hf_checkpoint as hf
from mooscomp_models.bert import BertConfig, BertForTokenClassification

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA = os.path.join(ROOT, "tests", "core", "data")
VOCAB = os.path.join(DATA, "wordpiece_vocab.txt")
SPM = os.path.join(DATA, "tiny_spm.model")
SPM_CORPUS = os.path.join(DATA, "spm_corpus.txt")
ORT_RUN = os.path.join(ROOT, "models", "node", "ort_run.mjs")
NODE = shutil.which("node")
HAVE_ORT_WEB = bool(NODE) and os.path.isdir(os.path.join(ROOT, "node_modules", "onnxruntime-web"))
HAVE_JS = HAVE_ORT_WEB and os.path.isfile(os.path.join(ROOT, "js", "dist", "mooscomp-core.wasm"))
HAVE_SPM = bool(shutil.which("spm_encode") and shutil.which("spm_export_vocab"))
SENTENCE = ("The meeting moved to Tuesday because the budget review needs two more days, "
            "and everyone agreed that the testing plan should keep its current schedule.")


# ---- fake checkpoints -------------------------------------------------------------------

def write_safetensors(path, tensors, dtype):
    """A minimal safetensors writer: JSON header padded to 8 bytes, then raw little-endian data."""
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.to(dtype) if t.is_floating_point() else t
        raw = (t.contiguous().view(torch.int16) if t.dtype == torch.bfloat16 else t.contiguous()).numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def hf_state_dict(cfg, prefix, seed):
    """Random weights of the project's BERT, renamed to HF's `<prefix>` layout, + HF's buffers."""
    torch.manual_seed(seed)
    bc = BertConfig(**cfg)
    model = BertForTokenClassification(bc)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:  # non-trivial LayerNorm parameters, so they are tested too
                p.copy_(torch.randn_like(p) * 0.1 + (1.0 if name.endswith("weight") else 0.0))
            else:
                p.normal_(0, 0.35 if name.startswith("classifier") else 0.1)
    sd = {}
    for k, v in model.state_dict().items():
        sd[prefix + k[5:] if k.startswith("bert.") else k] = v.clone()
    sd[prefix + "embeddings.position_ids"] = torch.arange(bc.max_position_embeddings).unsqueeze(0)
    return sd


def hf_config(model_type, **kw):
    arch = {"bert": "BertForTokenClassification", "xlm-roberta": "XLMRobertaForTokenClassification"}[model_type]
    cfg = {"architectures": [arch], "model_type": model_type, "hidden_act": "gelu",
           "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
           "id2label": {"0": "LABEL_0", "1": "LABEL_1"}, "position_embedding_type": "absolute"}
    cfg.update(kw)
    return cfg


def project_cfg(cfg):
    keep = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "pad_token_id")
    return {k: cfg[k] for k in keep}


def make_checkpoints(root):
    """Returns {case: (folder, hf config, HF state dict as saved, prefix, pad id, roberta positions)}."""
    cases = {}
    # (a) bert + pytorch_model.bin; the vocabulary is smaller than the embedding table (allowed).
    a = os.path.join(root, "bert-bin")
    os.makedirs(a)
    cfg = hf_config("bert", vocab_size=300, max_position_embeddings=64, type_vocab_size=2,
                    layer_norm_eps=1e-12, pad_token_id=0, _name_or_path="fake/bert-bin")
    sd = hf_state_dict(project_cfg(cfg), "bert.", 1)
    old = {(k[:-7] + ".gamma" if "LayerNorm.weight" in k else k[:-5] + ".beta" if "LayerNorm.bias" in k else k): v
           for k, v in sd.items()}
    torch.save(old, os.path.join(a, "pytorch_model.bin"))
    shutil.copyfile(VOCAB, os.path.join(a, "vocab.txt"))
    with open(os.path.join(a, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "strip_accents": None}, f)
    cases["a"] = (a, cfg, sd, "bert.", 0, False)

    # (b) bert + model.safetensors, F16; cased.
    b = os.path.join(root, "bert-st16")
    os.makedirs(b)
    cfg = hf_config("bert", vocab_size=289, max_position_embeddings=64, type_vocab_size=2,
                    layer_norm_eps=1e-12, pad_token_id=0)
    sd = hf_state_dict(project_cfg(cfg), "bert.", 2)
    write_safetensors(os.path.join(b, "model.safetensors"), sd, torch.float16)
    sd = {k: (v.half() if v.is_floating_point() else v) for k, v in sd.items()}  # what the file holds
    shutil.copyfile(VOCAB, os.path.join(b, "vocab.txt"))
    with open(os.path.join(b, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": False}, f)
    cases["b"] = (b, cfg, sd, "bert.", 0, False)

    # (c) xlm-roberta: `roberta.` prefix, fairseq ids (500 spm pieces + 2), positions from 2.
    c = os.path.join(root, "xlmr-st")
    os.makedirs(c)
    cfg = hf_config("xlm-roberta", vocab_size=502, max_position_embeddings=66, type_vocab_size=1,
                    layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                    id2label={"0": "discard", "1": "preserve"})
    sd = hf_state_dict(project_cfg(cfg), "roberta.", 3)
    write_safetensors(os.path.join(c, "model.safetensors"), sd, torch.float32)
    shutil.copyfile(SPM, os.path.join(c, "sentencepiece.bpe.model"))
    cases["c"] = (c, cfg, sd, "roberta.", 1, True)
    for folder, cfg, *_ in cases.values():
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f)
    return cases


# ---- reference forward from HF-named tensors (independent of bert.py) -------------------

def reference_forward(sd, prefix, cfg, ids, mask, pad, roberta):
    def w(name):
        return sd[prefix + name].float()

    def ln(x, name):
        return F.layer_norm(x, x.shape[-1:], w(name + ".weight"), w(name + ".bias"), cfg["layer_norm_eps"])

    def lin(x, name):
        return x @ w(name + ".weight").T + w(name + ".bias")

    if roberta:  # HF create_position_ids_from_input_ids
        real = (ids != pad).long()
        pos = torch.cumsum(real, 1) * real + pad
    else:
        pos = torch.arange(ids.shape[1]).unsqueeze(0).expand_as(ids)
    x = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[pos]
    x = ln(x + w("embeddings.token_type_embeddings.weight")[0], "embeddings.LayerNorm")
    heads = cfg["num_attention_heads"]
    d = cfg["hidden_size"] // heads
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        b, t, _ = x.shape
        q, k, v = (lin(x, p + "attention.self." + n).view(b, t, heads, d).transpose(1, 2)
                   for n in ("query", "key", "value"))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1) @ v
        x = ln(lin(att.transpose(1, 2).reshape(b, t, -1), p + "attention.output.dense") + x,
               p + "attention.output.LayerNorm")
        h = lin(F.gelu(lin(x, p + "intermediate.dense")), p + "output.dense")
        x = ln(h + x, p + "output.LayerNorm")
    logits = x @ sd["classifier.weight"].float().T + sd["classifier.bias"].float()
    return logits, x


def sample_batch(case, cfg, pad):
    g = torch.Generator().manual_seed(7)
    if case == "c":  # fairseq layout: <s>=0 <pad>=1 </s>=2 <unk>=3, pieces from 4
        cls, sep, low = 0, 2, 4
    else:  # wordpiece_vocab.txt: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4
        cls, sep, low = 2, 3, 5
    rows = [[cls] + torch.randint(low, cfg["vocab_size"], (n,), generator=g).tolist() + [sep] for n in (20, 9)]
    width = max(map(len, rows))
    ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
    return ids, mask


def run_ort(model_path, ids, mask, tmp):
    inp = os.path.join(tmp, "in.json")
    with open(inp, "w") as f:
        json.dump({"input_ids": ids.tolist(), "attention_mask": mask.tolist()}, f)
    out = subprocess.run([NODE, ORT_RUN, model_path, inp], cwd=ROOT, check=True, capture_output=True, timeout=120)
    got = json.loads(out.stdout)
    return ({n: torch.tensor(got[n]).view(*got["dims"][n]) for n in ("logits", "hidden")})


JS_COMPRESS = """
import { pathToFileURL } from 'node:url';
const [index, model, text, outlier] = process.argv.slice(1);
const { createCompressor } = await import(pathToFileURL(index).href);
const c = await createCompressor({ model });
const r = await c.compress(text, { rate: 0.5, outlier });
console.log(JSON.stringify({ prompt: r.compressedPrompt, origin: r.originTokens,
  kept: r.compressedTokens, modelTokens: r.modelTokens, words: r.words.length }));
await c.dispose();
"""


def convert(*argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = convert_hf.main([str(a) for a in argv])
    return rc, err.getvalue()


class ConvertHfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = tempfile.mkdtemp(prefix="convert_hf_test_")
        cls.cases = make_checkpoints(os.path.join(cls.tmp, "hf"))
        cls.out = {}
        for case, (folder, *_rest) in cls.cases.items():
            for kind in ("fp32", "int8"):
                out = os.path.join(cls.tmp, f"{case}-{kind}")
                extra = ["--fp32"] if kind == "fp32" else []
                if case == "c" and kind == "int8" and HAVE_SPM:
                    extra += ["--unigram-from", SPM_CORPUS]
                rc, err = convert(folder, "--out", out, *extra)
                assert rc == 0, (case, kind, err)
                cls.out[case, kind] = (out, err)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def manifest(self, case, kind):
        with open(os.path.join(self.out[case, kind][0], "manifest.json")) as f:
            return json.load(f)

    def test_manifests(self):
        a, b, c = (self.manifest(k, "int8") for k in "abc")
        self.assertEqual(a["tokenizer"], {"kind": "wordpiece", "file": "vocab.txt", "lowercase": True})
        self.assertEqual(b["tokenizer"], {"kind": "wordpiece", "file": "vocab.txt", "lowercase": False})
        self.assertEqual(c["tokenizer"], {"kind": "sentencepiece", "file": "sentencepiece.bpe.model",
                                          "fairseq_offset": True})
        self.assertEqual([m["max_seq_len"] for m in (a, b, c)], [64, 64, 64])  # c: 66 - 2
        self.assertEqual([m["hidden_size"] for m in (a, b, c)], [32, 32, 32])
        for m in (a, b, c):
            self.assertEqual(m["format"], "mooscomp-model/1")
            self.assertEqual(m["preserve_label"], 1)
            self.assertEqual(m["outputs"], {"logits": "logits", "hidden": "hidden"})
        self.assertNotIn("lexical", a)
        self.assertIn("names no preserve/keep label", self.out["a", "int8"][1])  # LABEL_0/LABEL_1
        self.assertNotIn("warning", self.out["c", "int8"][1])  # discard/preserve named
        with open(os.path.join(self.out["a", "int8"][0], "vocab.txt")) as f, open(VOCAB) as g:
            self.assertEqual(f.read(), g.read())
        with open(os.path.join(self.out["a", "int8"][0], "MODEL_CARD.md")) as f:
            self.assertIn("fake/bert-bin", f.read())
        if HAVE_SPM:
            table = c["lexical"]["neg_log_freq"]
            self.assertEqual(len(table), 502)
            self.assertLess(min(table[4:]), min(table[:4]))  # seen pieces are more frequent than specials
        import onnx
        for case in "abc":  # int8 by default (tiny models gain no size: the graph dominates)
            ops = [n.op_type for n in onnx.load(os.path.join(self.out[case, "int8"][0], "model.onnx")).graph.node]
            self.assertEqual(ops.count("MatMulInteger"), 2 * 6 + 1)

    def test_pytorch_load_matches_reference(self):
        """bert.py with the converted weights == the reference forward (no ONNX involved)."""
        for case, (folder, cfg, sd, prefix, pad, roberta) in self.cases.items():
            model = hf.load_model(folder)[0]
            ids, mask = sample_batch(case, cfg, pad)
            with torch.no_grad():
                want = reference_forward(sd, prefix, cfg, ids, mask, pad, roberta)
                got = model(ids, mask)
            for g, w in zip(got, want):
                self.assertLess((g - w).abs().max().item(), 1e-4, case)

    @unittest.skipUnless(HAVE_ORT_WEB, "node or node_modules/onnxruntime-web missing")
    def test_onnx_matches_reference(self):
        for case, (folder, cfg, sd, prefix, pad, roberta) in self.cases.items():
            ids, mask = sample_batch(case, cfg, pad)
            with torch.no_grad():
                logits, hidden = reference_forward(sd, prefix, cfg, ids, mask, pad, roberta)
            fp32 = run_ort(os.path.join(self.out[case, "fp32"][0], "model.onnx"), ids, mask, self.tmp)
            self.assertLess((fp32["logits"] - logits).abs().max().item(), 1e-4, case)
            self.assertLess((fp32["hidden"] - hidden).abs().max().item(), 1e-4, case)
            q = run_ort(os.path.join(self.out[case, "int8"][0], "model.onnx"), ids, mask, self.tmp)
            real = mask.bool()
            agree = (q["logits"].argmax(-1) == logits.argmax(-1))[real].float().mean().item()
            self.assertGreaterEqual(agree, 0.9, case)
            pq, pf = (torch.softmax(t, -1)[..., 1][real] for t in (q["logits"], logits))
            self.assertLess((pq - pf).abs().max().item(), 0.15, case)

    def test_weight_only_quantisation(self):
        """--quantize weight: int8 weights, no run-time activation quantisation; the output
        agrees with the reference at least as closely as the default int8 layout's."""
        import onnx
        folder, cfg, sd, prefix, pad, roberta = self.cases["a"]
        out = os.path.join(self.tmp, "a-weight")
        rc, err = convert(folder, "--out", out, "--quantize", "weight")
        self.assertEqual(rc, 0, err)
        ops = [n.op_type for n in onnx.load(os.path.join(out, "model.onnx")).graph.node]
        self.assertNotIn("DynamicQuantizeLinear", ops)
        self.assertNotIn("MatMulInteger", ops)
        with open(os.path.join(out, "MODEL_CARD.md")) as f:
            self.assertIn("'weight' mode", f.read())
        if not HAVE_ORT_WEB:
            return
        ids, mask = sample_batch("a", cfg, pad)
        with torch.no_grad():
            logits, _ = reference_forward(sd, prefix, cfg, ids, mask, pad, roberta)
        real = mask.bool()
        err = {}
        for kind, path in (("weight", out), ("dynamic", self.out["a", "int8"][0])):
            got = run_ort(os.path.join(path, "model.onnx"), ids, mask, self.tmp)["logits"]
            err[kind] = (got - logits).abs()[real].max().item()
        self.assertLessEqual(err["weight"], err["dynamic"])

    @unittest.skipUnless(HAVE_JS, "node, node_modules or js/dist missing")
    def test_js_api_compresses_with_converted_model(self):
        index = os.path.join(ROOT, "js", "src", "index.js")
        for case in "abc":
            outlier = "lexical" if case == "c" and HAVE_SPM else "hidden"
            out = subprocess.run([NODE, "--input-type=module", "-e", JS_COMPRESS, index,
                                  self.out[case, "int8"][0], SENTENCE, outlier],
                                 cwd=ROOT, capture_output=True, text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stderr)
            r = json.loads(out.stdout)
            self.assertGreater(r["modelTokens"], 10, case)
            self.assertGreater(r["kept"], 0, case)
            self.assertLess(r["kept"], r["origin"], case)
            words = re.findall(r"\w+", r["prompt"])  # sliced from the original text
            self.assertTrue(words and set(words) <= set(re.findall(r"\w+", SENTENCE)), (case, r["prompt"]))

    def test_safetensors_bf16(self):
        t = {"a": torch.randn(3, 5), "b": torch.arange(4)}
        p = os.path.join(self.tmp, "bf16.safetensors")
        write_safetensors(p, t, torch.bfloat16)
        got = hf.read_safetensors(p)
        self.assertTrue(torch.equal(got["a"].float(), t["a"].bfloat16().float()))
        self.assertTrue(torch.equal(got["b"], t["b"]))

    def test_user_errors_exit_2(self):
        src = self.cases["b"][0]
        bad = os.path.join(self.tmp, "bad")

        def variant(name, cfg_edit=None, drop=(), sd_edit=None):
            d = os.path.join(bad, name)
            shutil.copytree(src, d)
            if cfg_edit:
                with open(os.path.join(d, "config.json")) as f:
                    cfg = json.load(f)
                cfg_edit(cfg)
                with open(os.path.join(d, "config.json"), "w") as f:
                    json.dump(cfg, f)
            for n in drop:
                os.remove(os.path.join(d, n))
            if sd_edit:
                sd = hf.read_safetensors(os.path.join(d, "model.safetensors"))
                sd = {k: v.clone() for k, v in sd.items()}
                sd_edit(sd)
                write_safetensors(os.path.join(d, "model.safetensors"), sd, torch.float16)
            return d

        cases = {
            "missing config": (variant("noconfig", drop=["config.json"]), "missing config.json"),
            "unknown type": (variant("gpt", lambda c: c.update(model_type="gpt2")), "unsupported model_type"),
            "shape mismatch": (variant("shape", lambda c: c.update(intermediate_size=48)), "shape mismatch"),
            "missing weights": (variant("noweights", drop=["model.safetensors"]), "no weights"),
            "missing vocab": (variant("novocab", drop=["vocab.txt"]), "missing vocab.txt"),
            "unexpected weight": (variant("extra", sd_edit=lambda s: s.update({"lm_head.bias": torch.zeros(3)})),
                                  "unexpected lm_head.bias"),
            "missing weight": (variant("lost", sd_edit=lambda s: s.pop("classifier.bias")), "missing classifier.bias"),
            "three labels": (variant("three", lambda c: c.update(id2label={"0": "a", "1": "b", "2": "c"})),
                             "has 3 labels"),
            "missing folder": (os.path.join(bad, "nowhere"), "not a folder"),
        }
        for what, (folder, message) in cases.items():
            rc, err = convert(folder, "--out", os.path.join(self.tmp, "never"))
            self.assertEqual(rc, 2, what)
            self.assertIn(message, err, what)
            self.assertNotIn("Traceback", err, what)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "never", "manifest.json")))
        # WordPiece has no unigram table here; a non-empty --out needs --force.
        rc, err = convert(src, "--out", os.path.join(self.tmp, "never2"), "--unigram-from", SPM_CORPUS)
        self.assertEqual(rc, 2)
        self.assertIn("needs a SentencePiece tokenizer", err)
        rc, err = convert(src, "--out", self.out["b", "fp32"][0])
        self.assertEqual((rc, "is not empty" in err), (2, True))

    def test_cli_exit_code(self):
        """As a process: exit 2 and one line, no traceback."""
        out = subprocess.run([sys.executable, os.path.join(ROOT, "models", "convert_hf.py"),
                              os.path.join(self.tmp, "absent"), "--out", os.path.join(self.tmp, "x")],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 2)
        self.assertEqual(out.stderr.strip().count("\n"), 0, out.stderr)
        self.assertIn("convert_hf: error:", out.stderr)


if __name__ == "__main__":
    unittest.main()
