"""Weights of an exported model read back from its ONNX file (int8 or fp32), as a state dict.

Why: a shipped model folder holds only model.onnx; reading it back lets a new run start from
the previous default (--init-onnx in train.py) without its training checkpoint. int8 tensors
are dequantised with their scales (quantize.py's layout), so the start is the int8 model.
"""
import numpy as np
import onnx
import torch
from onnx import numpy_helper

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
    return {k: torch.tensor(np.ascontiguousarray(v), dtype=torch.float32) for k, v in out.items()}
