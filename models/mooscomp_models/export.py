"""ONNX export of the token classifier: the graph contract of models/MANIFEST.md.

Inputs `input_ids`, `attention_mask` int64 [batch, seq]; outputs `logits` float32 [batch, seq, 2]
and `hidden` float32 [batch, seq, H] (the last encoder layer, used for outlier scores).
"""
import torch
import onnx

OPSET = 14


def export_onnx(model, path, opset=OPSET):
    model = model.eval()
    ids = torch.tensor([[2, 5, 6, 7, 3], [2, 8, 9, 3, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    dyn = {0: "batch", 1: "seq"}
    with torch.no_grad():
        torch.onnx.export(
            model, (ids, mask), path,
            input_names=["input_ids", "attention_mask"],
            output_names=["logits", "hidden"],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "logits": dyn, "hidden": dyn},
            opset_version=opset,
            do_constant_folding=True,
        )
    # Checked by path: a model over 2 GiB is written with external tensor files, and a proto
    # that large cannot be serialised to be checked in memory.
    onnx.checker.check_model(path)
    return onnx.load(path)
