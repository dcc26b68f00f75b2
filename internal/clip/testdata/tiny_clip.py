"""Builds a tiny CLIP-shaped pair of ONNX encoders with given weights, for
internal/clip's tests (Debian's python3-onnx and python3-numpy).

    tiny_clip.py SPEC.json OUT_DIR

SPEC: {"size": S, "dim": D, "vocab": V, "w_image": 3×D list,
       "embeddings": path of V×D little-endian float32, "int32": bool,
       "mask": bool, "text_dim": D of the text encoder if not D}

image.onnx: pixel_values N×3×S×S -> global average pool -> × w_image
            -> image_embeds N×D
text.onnx:  input_ids N×77 (+ attention_mask N×77) -> embedding rows
            -> mean over the tokens the mask keeps (all without a mask)
            -> text_embeds N×D
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

spec = json.load(open(sys.argv[1]))
out = sys.argv[2]
S, D, V = spec["size"], spec["dim"], spec["vocab"]
DT = spec.get("text_dim", D)  # differs from D only to test the mismatch error
ids_type = TensorProto.INT32 if spec.get("int32") else TensorProto.INT64


def save(graph, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, f"{out}/{name}")


w = numpy_helper.from_array(np.array(spec["w_image"], dtype=np.float32), "w_image")
image = helper.make_graph(
    [
        helper.make_node("GlobalAveragePool", ["pixel_values"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "w_image"], ["image_embeds"]),
    ],
    "tiny_clip_image",
    [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, S, S])],
    [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch", D])],
    [w],
)
save(image, "image.onnx")

emb = np.fromfile(spec["embeddings"], dtype="<f4").reshape(V, DT)
inputs = [helper.make_tensor_value_info("input_ids", ids_type, ["batch", 77])]
init = [
    numpy_helper.from_array(emb, "token_embedding"),
    numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
]
nodes = [helper.make_node("Gather", ["token_embedding", "input_ids"], ["tokens"], axis=0)]
if spec.get("mask"):
    inputs.append(helper.make_tensor_value_info("attention_mask", ids_type, ["batch", 77]))
    nodes += [
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "minus1"], ["mask3"]),
        helper.make_node("Mul", ["tokens", "mask3"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "axis1"], ["total"], keepdims=0),
        helper.make_node("ReduceSum", ["maskf", "axis1"], ["count"], keepdims=1),
        helper.make_node("Div", ["total", "count"], ["text_embeds"]),
    ]
    init.append(numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus1"))
else:
    nodes.append(helper.make_node("ReduceMean", ["tokens"], ["text_embeds"], axes=[1], keepdims=0))
text = helper.make_graph(
    nodes,
    "tiny_clip_text",
    inputs,
    [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["batch", DT])],
    init,
)
save(text, "text.onnx")
