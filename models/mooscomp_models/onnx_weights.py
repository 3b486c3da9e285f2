"""An exported model read back from its ONNX file (int8 or fp32): its weights as a state dict,
its shape from the graph, and the PyTorch model.

Why: a shipped model folder holds only model.onnx; reading it back lets a new run start from
the previous default (--init-onnx in train.py) without its training checkpoint. int8 tensors
are dequantised with their scales (quantize.py's layout), so the start is the int8 model.
"""
import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .bert import BertConfig, BertForTokenClassification

_GATHER = "/Gather_output_0_q_table"
_MATMUL = "/MatMul_output_0_q_w"


def _module(path):  # "/bert/encoder/layer.0/attention/self/query" -> "bert.encoder.layer.0.attention.self.query"
    return path.strip("/").replace("/", ".")


def state_dict_from_onnx(path):
    """-> {name: tensor} with Hugging Face BERT names (token_type row 1 copies row 0)."""
    model = onnx.load(path)
    arrays = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    out = {}
    for name, a in arrays.items():
        if name.startswith(("bert.", "classifier.")):
            out[name] = a
        elif name.endswith(_GATHER):  # int8 rows * per-row scale
            out[_module(name[:-len(_GATHER)]) + ".weight"] = a.astype(np.float32) * arrays[name[:-6] + "_rowscale"]
        elif name.endswith(_MATMUL):  # int8 [in, out] * per-column scale -> Linear weight [out, in]
            w = a.astype(np.float32) * arrays[name[:-2] + "_wscale"][None, :]
            out[_module(name[:-len(_MATMUL)]) + ".weight"] = w.T
    # fp32 exports keep MatMul weights as unnamed [in, out] constants; int8 ones name them all.
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in arrays and not node.input[1].endswith("_q_w"):
            out[_module(node.name.rsplit("/", 1)[0]) + ".weight"] = arrays[node.input[1]].T
        if node.op_type == "Add" and node.name.startswith("/bert/embeddings/Add_1"):
            for i in node.input:
                if i in arrays and arrays[i].ndim == 1:
                    out["bert.embeddings.token_type_embeddings.weight"] = np.stack([arrays[i], arrays[i]])
        if node.op_type == "Gather" and node.input[0] in arrays and arrays[node.input[0]].ndim == 2 \
                and node.name.startswith("/bert/embeddings/"):
            out[_module(node.name.rsplit("/", 1)[0]) + ".weight"] = arrays[node.input[0]]
    # The exporter stores equal tensors once (the zero biases and unit LayerNorms of an
    # untrained model); the other names are Identity outputs of it.
    for node in model.graph.node:
        if node.op_type == "Identity" and node.output[0] not in out and node.input[0] in out \
                and node.output[0].startswith(("bert.", "classifier.")):
            out[node.output[0]] = out[node.input[0]]
    return {k: torch.tensor(np.ascontiguousarray(v), dtype=torch.float32) for k, v in out.items()}


def _constants(graph):
    out = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            out[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    return out


def config_from_onnx(path, sd=None):
    """A BertConfig dict read from an exported graph (export.py's layout): sizes from the
    weights, heads from the attention reshape, ALiBi and RoBERTa positions from their ops."""
    sd = sd if sd is not None else state_dict_from_onnx(path)
    graph = onnx.load(path).graph
    vocab, hidden = sd["bert.embeddings.word_embeddings.weight"].shape
    layers = 0
    while f"bert.encoder.layer.{layers}.attention.self.query.weight" in sd:
        layers += 1
    cfg = {
        "vocab_size": int(vocab), "hidden_size": int(hidden), "num_hidden_layers": layers,
        "intermediate_size": int(sd["bert.encoder.layer.0.intermediate.dense.weight"].shape[0]),
        "max_position_embeddings": int(sd["bert.embeddings.position_embeddings.weight"].shape[0]),
        "num_labels": int(sd["classifier.weight"].shape[0]),
        "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
        "position_bias": "none", "position_ids": "absolute",
    }
    consts = _constants(graph)
    heads = None
    for n in graph.node:
        if heads is None and n.op_type == "Concat" and n.name.startswith("/bert/encoder/layer.0/attention/self/"):
            # view(b, t, heads, head_dim): the two constants whose product is the hidden size
            vals = [int(consts[i].reshape(-1)[0]) for i in n.input if i in consts and consts[i].size == 1]
            pairs = [(a, b) for a, b in zip(vals, vals[1:]) if a * b == hidden]
            heads = pairs[0][0] if pairs else None
        elif n.op_type == "Abs" and n.name.startswith("/bert/") and "/encoder/" not in n.name:
            cfg["position_bias"] = "alibi"  # the |i - j| of the ALiBi bias
        elif n.op_type == "CumSum" and n.name.startswith("/bert/embeddings/"):
            cfg["position_ids"] = "roberta"
    if heads is None:
        raise ValueError(f"{path}: cannot read the number of attention heads from the graph; pass it")
    cfg["num_attention_heads"] = heads
    return cfg


def model_from_onnx(path, overrides=None):
    """BertForTokenClassification with the weights of model.onnx (int8 weights dequantised)."""
    sd = state_dict_from_onnx(path)
    cfg = config_from_onnx(path, sd)
    cfg.update(overrides or {})
    model = BertForTokenClassification(BertConfig(**cfg))
    model.load_state_dict(sd)
    return model.eval()

