"""int8 weight quantisation of an exported model, written with the `onnx` API.

PyTorch's quantized modules do not export to ONNX, so the exported fp32 graph is rewritten.
MatMul weights W[K,N] are int8, symmetric per output column (zero point 0); two modes:
- "weight" (WEIGHT_ONLY): W = Cast(W_q) * w_scale[N], then a plain fp32 MatMul. The
  dequantisation has only constant inputs, so ORT folds it into an fp32 weight when the
  session starts: the file is int8, the arithmetic fp32, the same on the CPU and on WebGPU.
- "dynamic" (DYNAMIC): DynamicQuantizeLinear(x) (uint8, per tensor, at run time) +
  MatMulInteger(x_q, W_q, x_zero_point) + Cast + Mul(x_scale * w_scale[N]): an int8 GEMM,
  exact in int32. Activations are rounded to 256 steps per tensor at run time, so a float
  difference upstream (another backend's LayerNorm) can flip a step and move the logits by
  hundredths; and these ops have no WebGPU kernels (they run on the CPU inside a WebGPU session).
Gather from a constant table (word and position embeddings), in both modes -> Gather of int8
rows and of per-row scales, Cast, Mul: only the looked-up rows are dequantised, never the
whole table (and these inputs are not constant, so nothing is folded).
Attention's activation-activation MatMuls, LayerNorm, GELU and softmax stay fp32.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MIN_GATHER_ELEMENTS = 4096  # small tables are not worth the extra nodes
WEIGHT_ONLY, DYNAMIC = "weight", "dynamic"
MODES = (WEIGHT_ONLY, DYNAMIC)
DEFAULT_MODE = DYNAMIC


def _symmetric_int8(w, axis):
    """Scale per slice along `axis` kept; returns (int8 array, float32 scales)."""
    amax = np.abs(w).max(axis=axis, keepdims=True)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def _weight_only_matmul(x, out, p, name):
    return [
        helper.make_node("Cast", [p + "_w"], [p + "_wf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [p + "_wf", p + "_wscale"], [p + "_wdq"]),
        helper.make_node("MatMul", [x, p + "_wdq"], [out], name=name),  # the exporter's name, for profiles
    ]


def _dynamic_matmul(x, out, p, name):
    return [
        helper.make_node("DynamicQuantizeLinear", [x], [p + "_x", p + "_xscale", p + "_xzp"]),
        helper.make_node("MatMulInteger", [p + "_x", p + "_w", p + "_xzp"], [p + "_i32"]),
        helper.make_node("Cast", [p + "_i32"], [p + "_f32"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [p + "_xscale", p + "_wscale"], [p + "_scale"]),
        helper.make_node("Mul", [p + "_f32", p + "_scale"], [out]),
    ]


def quantize_model(model: onnx.ModelProto, mode: str = DEFAULT_MODE) -> onnx.ModelProto:
    if mode not in MODES:
        raise ValueError(f"quantisation mode must be one of {', '.join(MODES)}, got {mode!r}")
    matmul = _weight_only_matmul if mode == WEIGHT_ONLY else _dynamic_matmul
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1

    new_nodes, new_inits, dropped = [], [], set()
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
            x, wname = node.input
            out, p = node.output[0], node.output[0] + "_q"
            q, scale = _symmetric_int8(numpy_helper.to_array(inits[wname]), axis=0)  # per column
            new_inits += [numpy_helper.from_array(q, p + "_w"),
                          numpy_helper.from_array(scale.reshape(-1), p + "_wscale")]
            new_nodes += matmul(x, out, p, node.name)
            consumers[wname] -= 1
            dropped.add(wname)
        elif (node.op_type == "Gather" and node.input[0] in inits
              and len(inits[node.input[0]].dims) == 2
              and np.prod(inits[node.input[0]].dims) >= MIN_GATHER_ELEMENTS
              and not any(a.name == "axis" and a.i != 0 for a in node.attribute)):
            table, idx = node.input
            out, p = node.output[0], node.output[0] + "_q"
            q, scale = _symmetric_int8(numpy_helper.to_array(inits[table]), axis=1)  # per row
            new_inits += [numpy_helper.from_array(q, p + "_table"),
                          numpy_helper.from_array(scale, p + "_rowscale")]  # [V, 1]
            new_nodes += [
                helper.make_node("Gather", [p + "_table", idx], [p + "_rows"], axis=0),
                helper.make_node("Cast", [p + "_rows"], [p + "_rowsf"], to=TensorProto.FLOAT),
                helper.make_node("Gather", [p + "_rowscale", idx], [p + "_scale"], axis=0),
                helper.make_node("Mul", [p + "_rowsf", p + "_scale"], [out]),
            ]
            consumers[table] -= 1
            dropped.add(table)
        else:
            new_nodes.append(node)

    keep = [t for t in graph.initializer if not (t.name in dropped and consumers[t.name] == 0)]
    del graph.initializer[:]
    graph.initializer.extend(keep + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    onnx.checker.check_model(model)
    return model


def quantize_file(src, dst, mode=DEFAULT_MODE):
    model = quantize_model(onnx.load(src), mode)
    onnx.save(model, dst)
    return model


def main(argv=None):
    import argparse
    p = argparse.ArgumentParser(description="int8 weights for an fp32 ONNX export (export.py's model.fp32.onnx)")
    p.add_argument("src", help="fp32 ONNX file")
    p.add_argument("dst", help="int8 ONNX file to write")
    p.add_argument("--mode", choices=MODES, default=DEFAULT_MODE, help=f"default: {DEFAULT_MODE}")
    args = p.parse_args(argv)
    quantize_file(args.src, args.dst, args.mode)


if __name__ == "__main__":
    main()
