#!/usr/bin/python3
"""Converts a TF.js graph model (model.json + weight shards) to ONNX.

cam2drive runs it once, at `cam2drive models install`, with Debian's
python3-onnx and python3-numpy; inference never needs Python.

TF.js graph models are NHWC. ONNX Runtime's CPU kernels want NCHW, so the
input is transposed once, every 4-D activation stays NCHW inside the graph
(kernels HWIO -> OIHW, depthwise HWCM -> (C*M)1HW, per-channel constants
reshaped to Cx1x1, axes remapped) and 4-D outputs are transposed back so the
ONNX model's inputs and outputs have the TF.js model's shapes and names.

Usage: tfjs2onnx.py MODEL_JSON OUT_ONNX [--outputs a,b] [--input-name NAME] [--input-layout NHWC|NCHW] [--dynamic-hw]

--input-layout NCHW makes a 4-D input NCHW (callers that write NCHW spare
the model a transpose of its largest tensor); outputs keep TF.js's layout.

--dynamic-hw gives a 4-D input symbolic height and width (a fully
convolutional model then reads a 16:9 frame as 512x288 instead of a square
with grey bands); the outputs' dims follow.
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 14  # HardSwish
NHWC_TO_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1, -1: 1, -2: 3, -3: 2, -4: 0}


def read_weights(model_json, manifest):
    """Returns {name: np.ndarray} for every weight, dequantized to float32."""
    base = os.path.dirname(model_json)
    out = {}
    for group in manifest:
        buf = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            shape = [int(d) for d in w["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q:
                qdt = {"float16": np.float16, "uint8": np.uint8, "uint16": np.uint16}[q["dtype"]]
                raw = np.frombuffer(buf, dtype=qdt, count=n, offset=off)
                off += n * raw.itemsize
                if q["dtype"] == "float16":
                    val = raw.astype(np.float32)
                else:
                    val = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
                if w["dtype"] == "int32":
                    val = np.round(val).astype(np.int32)
            else:
                dt = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}[w["dtype"]]
                val = np.frombuffer(buf, dtype=dt, count=n, offset=off)
                off += n * val.itemsize
            out[w["name"]] = np.array(val).reshape(shape)
        if off != len(buf):
            raise ValueError("weights of %s: read %d bytes of %d" % (group["paths"], off, len(buf)))
    return out


def attr_s(node, key, default=""):
    a = node.get("attr", {}).get(key)
    return base64.b64decode(a["s"]).decode() if a and "s" in a else default


def attr_ints(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if not a:
        return default
    return [int(i) for i in a.get("list", {}).get("i", [])]


def attr_b(node, key):
    return bool(node.get("attr", {}).get(key, {}).get("b", False))


def attr_f(node, key, default=0.0):
    return float(node.get("attr", {}).get(key, {}).get("f", default))


class Converter:
    def __init__(self, model, weights, outputs, input_name, input_layout="NHWC", dynamic_hw=False):
        self.nodes = {n["name"]: n for n in model["modelTopology"]["node"]}
        # A placeholder named like the ONNX input would give two tensors one
        # name (the input and its NCHW transpose): rename the TF node.
        taken = input_name or "input"
        if taken in self.nodes and self.nodes[taken]["op"] == "Placeholder":
            self.nodes[taken + "__tf"] = dict(self.nodes.pop(taken), name=taken + "__tf")
            for nd in self.nodes.values():
                nd["input"] = [i.replace(taken, taken + "__tf", 1) if ref(i) == taken else i
                               for i in nd.get("input", [])]
        self.weights = weights
        self.outputs = outputs
        self.input_name = input_name
        self.input_layout = input_layout
        self.dynamic_hw = dynamic_hw
        self.resizes = []  # (Resize node, its input, the output height and width TF.js fixed)
        self.onnx_nodes = []
        self.inits = {}
        self.layout = {}  # tensor name -> "nchw" (4-D activation) or "plain"
        self.done = set()
        self.graph_inputs = []
        self.seq = 0
        self.out_shapes = {}
        self.source = {}  # graph output -> the TF node that computes it
        for k, v in model.get("signature", {}).get("outputs", {}).items():
            self.source[k] = ref(v.get("name", k))
            dims = [int(d.get("size", -1)) for d in v.get("tensorShape", {}).get("dim", [])]
            self.out_shapes[k] = [d if d > 0 else None for d in dims]

    def fresh(self, hint):
        self.seq += 1
        return "%s__%d" % (hint, self.seq)

    def const(self, name):
        return self.weights[name.split(":")[0]]

    def is_const(self, name):
        return self.nodes[ref(name)]["op"] == "Const"

    def add_init(self, name, arr):
        self.inits[name] = numpy_helper.from_array(np.ascontiguousarray(arr), name)
        return name

    def emit(self, op, inputs, outputs, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=outputs[0], **attrs))
        return outputs[0]

    def order(self):
        """Nodes the outputs need, inputs first."""
        seen, out = set(), []
        for o in self.outputs:
            stack = [(self.src(o), False)]
            while stack:
                name, expanded = stack.pop()
                if expanded:
                    out.append(name)
                    continue
                if name in seen:
                    continue
                seen.add(name)
                stack.append((name, True))
                for i in self.nodes[name].get("input", []):
                    if not i.startswith("^") and ref(i) not in seen:
                        stack.append((ref(i), False))
        return out

    def src(self, output):
        """The TF node an output names: itself, or the signature's alias."""
        o = ref(output)
        return o if o in self.nodes else self.source.get(output, o)

    def operand(self, name, peer_layout):
        """A tensor input; constants take the layout of the activation they meet."""
        if not self.is_const(name):
            t = tensor(name)
            return t, self.layout[t]
        name = ref(name)
        val = self.const(name)
        if peer_layout == "nchw":
            if val.ndim == 4:
                val = val.transpose(0, 3, 1, 2)
            elif val.ndim == 1 and val.size > 1:
                val = val.reshape(-1, 1, 1)
            elif val.ndim == 3:  # HWC, broadcast over the batch
                val = val.transpose(2, 0, 1)
        key = name + ("__nchw" if peer_layout == "nchw" else "")
        if key not in self.inits:
            self.add_init(key, val)
        return key, "const"

    def to_plain(self, name):
        if self.layout.get(name) != "nchw":
            return name
        return self.emit("Transpose", [name], [self.fresh(name + "_nhwc")], perm=[0, 2, 3, 1])

    def convert(self):
        for name in self.order():
            node = self.nodes[name]
            op = node["op"]
            if op == "Const":
                continue
            fn = getattr(self, "op_" + op, None)
            if fn is None:
                raise NotImplementedError("TF.js op %s (node %s) has no ONNX translation yet" % (op, name))
            fn(node)
        graph_outputs = []
        for o in self.outputs:
            src = self.rename(self.src(o), self.src(o) + "__t")
            if self.layout[src] == "nchw":
                out = self.emit("Transpose", [src], [self.fresh("out")], perm=[0, 2, 3, 1])
            else:
                out = src
            self.emit("Identity", [out], [o])
            graph_outputs.append(helper.make_tensor_value_info(o, TensorProto.FLOAT, self.out_shapes.get(o)))
        self.fuse_hard_swish()
        model = self.model(graph_outputs)
        if self.dynamic_hw:
            return self.make_dynamic_hw(model)
        return self.fill_output_shapes(model)

    def model(self, graph_outputs):
        graph = helper.make_graph(self.onnx_nodes, "tfjs", self.graph_inputs, graph_outputs,
                                  initializer=list(self.inits.values()))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="cam2drive-tfjs2onnx")
        model.ir_version = 7
        return model

    def make_dynamic_hw(self, model):
        """Makes the 4-D input's height and width symbolic. TF.js fixes each
        resize's output size: measured on the fixed-size graph, it becomes a
        ratio of the resize's input (an upsampling by 2 stays one at any
        size). Outputs get the shapes ONNX infers, symbolic where they follow
        the input."""
        if len(self.graph_inputs) != 1 or len(self.graph_inputs[0].type.tensor_type.shape.dim) != 4:
            raise NotImplementedError("--dynamic-hw: the model needs one 4-D input")
        inp = self.graph_inputs[0].type.tensor_type.shape.dim
        static = onnx.shape_inference.infer_shapes(model)
        shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
                  for v in list(static.graph.value_info) + list(static.graph.input)}
        for nd, x, hw in self.resizes:
            s = shapes.get(x)
            if not s or len(s) != 4 or min(s[2:]) <= 0:
                raise NotImplementedError("%s: input shape %s unknown" % (nd.name, s))
            scales = [1.0, 1.0, hw[0] / s[2], hw[1] / s[3]]
            if any(o % i and i % o for o, i in zip(hw, s[2:])):
                raise NotImplementedError("%s: resize %s -> %s is no whole ratio" % (nd.name, s[2:], list(hw)))
            sc = self.add_init(self.fresh(nd.name + "_scales"), np.array(scales, np.float32))
            del nd.input[:]
            nd.input.extend([x, "", sc])
        self.prune()
        hw_dims = (2, 3) if self.input_layout == "NCHW" else (1, 2)
        for i, sym in zip(hw_dims, ("height", "width")):
            inp[i].Clear()
            inp[i].dim_param = sym
        model = self.model([helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in self.outputs])
        inferred = onnx.shape_inference.infer_shapes(model)
        known = {v.name: v for v in inferred.graph.output}
        for o in model.graph.output:
            v = known.get(o.name)
            if v is not None and v.type.tensor_type.HasField("shape"):
                o.type.tensor_type.shape.CopyFrom(v.type.tensor_type.shape)
        return model

    def prune(self):
        """Drops the nodes and initializers no output needs any more."""
        producer = {o: nd for nd in self.onnx_nodes for o in nd.output}
        need, stack = set(), list(self.outputs)
        while stack:
            nd = producer.get(stack.pop())
            if nd is None or id(nd) in need:
                continue
            need.add(id(nd))
            stack.extend(i for i in nd.input if i)
        self.onnx_nodes = [nd for nd in self.onnx_nodes if id(nd) in need]
        used = {i for nd in self.onnx_nodes for i in nd.input}
        self.inits = {k: v for k, v in self.inits.items() if k in used}

    def fill_output_shapes(self, model):
        """Outputs the signature does not list (an inner tensor) get the
        shape ONNX infers, so that callers can allocate them up front."""
        outs = [o for o in model.graph.output if not o.type.tensor_type.HasField("shape")]
        if not outs:
            return model
        try:
            inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
        except onnx.shape_inference.InferenceError:
            # onnx 1.12 propagates data through a Concat of 2-D index tensors
            # (MoveNet's) wrongly; shapes alone still infer.
            inferred = onnx.shape_inference.infer_shapes(model)
        known = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
        for o in outs:
            v = known.get(o.name)
            if v is not None and v.type.tensor_type.HasField("shape"):
                o.type.tensor_type.shape.CopyFrom(v.type.tensor_type.shape)
        return model

    def scalar(self, name):
        t = self.inits.get(name)
        if t is None:
            return None
        v = numpy_helper.to_array(t)
        return float(v.reshape(())) if v.size == 1 else None

    def fuse_hard_swish(self):
        """Rewrites MobileNetV3's hard-swish, x * relu6(x + 3) / 6 spelled as
        Mul(Mul(x, 1/6), Clip(Add(x, 3), 0, 6)), as one HardSwish: four
        passes over large activations become one."""
        producer = {o: nd for nd in self.onnx_nodes for o in nd.output}
        uses = {}
        for nd in self.onnx_nodes:
            for i in nd.input:
                uses[i] = uses.get(i, 0) + 1
        drop = set()
        for nd in self.onnx_nodes:
            if nd.op_type != "Mul" or len(nd.input) != 2:
                continue
            a, b = (producer.get(i) for i in nd.input)
            if a is None or b is None:
                continue
            if a.op_type == "Clip":
                a, b = b, a
            if a.op_type != "Mul" or b.op_type != "Clip" or uses.get(a.output[0]) != 1 or uses.get(b.output[0]) != 1:
                continue
            if len(b.input) != 3 or self.scalar(b.input[1]) != 0 or self.scalar(b.input[2]) != 6:
                continue
            add = producer.get(b.input[0])
            if add is None or add.op_type != "Add" or uses.get(add.output[0]) != 1:
                continue
            xs = [i for i in add.input if self.scalar(i) is None]
            if len(xs) != 1 or [self.scalar(i) for i in add.input if i not in xs] != [3.0]:
                continue
            x = xs[0]
            if x not in a.input or [self.scalar(i) for i in a.input if i != x] != [approx_sixth(a, self)]:
                continue
            drop.update([id(a), id(b), id(add)])
            nd.op_type = "HardSwish"
            del nd.input[:]
            nd.input.append(x)
        self.onnx_nodes = [nd for nd in self.onnx_nodes if id(nd) not in drop]
        used = {i for nd in self.onnx_nodes for i in nd.input}
        self.inits = {k: v for k, v in self.inits.items() if k in used}

    def rename(self, old, new):
        """Renames a tensor so that the graph output can take its name."""
        for nd in self.onnx_nodes:
            if nd.name == old:
                nd.name = new
            for seq in (nd.input, nd.output):
                for i, v in enumerate(seq):
                    if v == old:
                        seq[i] = new
        self.layout[new] = self.layout[old]
        return new

    # --- ops -------------------------------------------------------------

    def op_Placeholder(self, n):
        dims = [int(d.get("size", -1)) for d in n["attr"]["shape"]["shape"].get("dim", [])]
        dims = [d if d > 0 else None for d in dims]
        iname = self.input_name or "input"
        if len(dims) == 4 and self.input_layout == "NCHW":
            # The caller writes NCHW itself: no transpose of the largest tensor.
            self.graph_inputs.append(helper.make_tensor_value_info(iname, TensorProto.FLOAT, [dims[0], dims[3], dims[1], dims[2]]))
            self.emit("Identity", [iname], [n["name"]])
            self.layout[n["name"]] = "nchw"
            return
        self.graph_inputs.append(helper.make_tensor_value_info(iname, TensorProto.FLOAT, dims))
        if len(dims) == 4:
            self.emit("Transpose", [iname], [n["name"]], perm=[0, 3, 1, 2])
            self.layout[n["name"]] = "nchw"
        else:
            if iname != n["name"]:
                self.emit("Identity", [iname], [n["name"]])
            self.layout[n["name"]] = "plain"

    def conv_attrs(self, n, kshape):
        strides = attr_ints(n, "strides", [1, 1, 1, 1])
        dil = attr_ints(n, "dilations", [1, 1, 1, 1]) or [1, 1, 1, 1]
        if attr_s(n, "data_format", "NHWC") != "NHWC":
            raise NotImplementedError("%s: data_format %s" % (n["name"], attr_s(n, "data_format")))
        a = {"strides": [strides[1], strides[2]], "dilations": [dil[1], dil[2]],
             "kernel_shape": list(kshape)}
        pad = attr_s(n, "padding", "VALID")
        if pad == "SAME":
            a["auto_pad"] = "SAME_UPPER"  # TF puts the odd pixel at the end, as SAME_UPPER does
        elif pad == "VALID":
            a["pads"] = [0, 0, 0, 0]
        elif pad == "EXPLICIT":
            p = attr_ints(n, "explicit_paddings")  # NHWC pairs
            a["pads"] = [p[2], p[4], p[3], p[5]]
        return a

    def conv(self, n, depthwise):
        x = ref(n["input"][0])
        if self.layout[x] != "nchw":  # an image the graph reshaped (MoveNet's input)
            x = self.emit("Transpose", [x], [self.fresh(x + "_nchw")], perm=[0, 3, 1, 2])
        k = self.const(n["input"][1])
        if depthwise:  # [H, W, C, M] -> [C*M, 1, H, W], one group per input channel
            h, w, c, m = k.shape
            kern = k.transpose(2, 3, 0, 1).reshape(c * m, 1, h, w)
            extra = {"group": int(c)}
        else:  # HWIO -> OIHW
            kern = k.transpose(3, 2, 0, 1)
            extra = {}
        kname = self.add_init(ref(n["input"][1]) + "__oihw", kern)
        ins = [x, kname]
        fused = [base64.b64decode(s).decode() for s in n.get("attr", {}).get("fused_ops", {}).get("list", {}).get("s", [])]
        args = [ref(i) for i in n["input"][2:] if not i.startswith("^")]
        if fused and fused[0] == "BiasAdd":
            ins.append(self.add_init(args[0] + "__bias", self.const(args[0]).reshape(-1)))
            fused, args = fused[1:], args[1:]
        a = self.conv_attrs(n, kern.shape[2:])
        a.update(extra)
        out = n["name"] if not fused else self.fresh(n["name"] + "_conv")
        self.emit("Conv", ins, [out], **a)
        self.layout[out] = "nchw"
        if fused:
            self.activation(fused, out, n, args)

    def activation(self, fused, x, n, args):
        if len(fused) != 1:
            raise NotImplementedError("%s: fused ops %s" % (n["name"], fused))
        f = fused[0]
        name = n["name"]
        if f == "Relu":
            self.emit("Relu", [x], [name])
        elif f == "Relu6":
            self.relu6(x, name)
        elif f == "Sigmoid":
            self.emit("Sigmoid", [x], [name])
        elif f == "Elu":
            self.emit("Elu", [x], [name])
        elif f == "LeakyRelu":
            self.emit("LeakyRelu", [x], [name], alpha=attr_f(n, "leakyrelu_alpha", 0.2))
        elif f == "Prelu":
            slope, _ = self.operand(args[0], "nchw")
            self.emit("PRelu", [x, slope], [name])
        else:
            raise NotImplementedError("%s: fused op %s" % (name, f))
        self.layout[name] = self.layout[x]

    def relu6(self, x, name):
        lo = self.add_init("__zero", np.array(0, np.float32)) if "__zero" not in self.inits else "__zero"
        hi = self.add_init("__six", np.array(6, np.float32)) if "__six" not in self.inits else "__six"
        self.emit("Clip", [x, lo, hi], [name])

    def op_Conv2D(self, n):
        self.conv(n, False)

    op__FusedConv2D = op_Conv2D

    def op_DepthwiseConv2dNative(self, n):
        self.conv(n, True)

    op_FusedDepthwiseConv2dNative = op_DepthwiseConv2dNative

    def binary(self, n, onnx_op):
        a, b = n["input"][0], n["input"][1]
        # NCHW only when every activation is; one that meets a plain tensor
        # (MoveNet's heat-map divided by distances) goes back to NHWC.
        lays = [self.layout[tensor(i)] for i in (a, b) if not self.is_const(i)]
        peer = "nchw" if lays and all(lay == "nchw" for lay in lays) else "plain"
        ins = []
        for i in (a, b):
            name, lay = self.operand(i, peer)
            if lay == "nchw" and peer == "plain":
                name = self.to_plain(name)
            ins.append(name)
        self.emit(onnx_op, ins, [n["name"]])
        self.layout[n["name"]] = peer

    def op_Add(self, n):
        self.binary(n, "Add")

    op_AddV2 = op_Add
    op_BiasAdd = op_Add

    def op_Mul(self, n):
        self.binary(n, "Mul")

    def op_Sub(self, n):
        self.binary(n, "Sub")

    def op_RealDiv(self, n):
        self.binary(n, "Div")

    op_Div = op_RealDiv

    def op_Maximum(self, n):
        self.binary(n, "Max")

    def op_Minimum(self, n):
        self.binary(n, "Min")

    def unary(self, n, onnx_op, **attrs):
        x = tensor(n["input"][0])
        self.emit(onnx_op, [x], [n["name"]], **attrs)
        self.layout[n["name"]] = self.layout[x]

    def op_Relu(self, n):
        self.unary(n, "Relu")

    def op_Relu6(self, n):
        x = ref(n["input"][0])
        self.relu6(x, n["name"])
        self.layout[n["name"]] = self.layout[x]

    def op_Sigmoid(self, n):
        self.unary(n, "Sigmoid")

    def op_Tanh(self, n):
        self.unary(n, "Tanh")

    def op_Elu(self, n):
        self.unary(n, "Elu")

    def op_Exp(self, n):
        self.unary(n, "Exp")

    def op_Sqrt(self, n):
        self.unary(n, "Sqrt")

    def op_Identity(self, n):
        self.unary(n, "Identity")

    def op_LeakyRelu(self, n):
        self.unary(n, "LeakyRelu", alpha=attr_f(n, "alpha", 0.2))

    def reduce(self, n, onnx_op):
        x = ref(n["input"][0])
        axes = [int(a) for a in np.array(self.const(n["input"][1])).reshape(-1)]
        keep = attr_b(n, "keep_dims")
        if self.layout[x] == "nchw":
            if not keep:
                x = self.to_plain(x)
            else:
                axes = [NHWC_TO_NCHW_AXIS[a] for a in axes]
        self.emit(onnx_op, [x], [n["name"]], axes=axes, keepdims=int(keep))
        self.layout[n["name"]] = self.layout[x] if keep else "plain"

    def op_Mean(self, n):
        self.reduce(n, "ReduceMean")

    def op_Max(self, n):
        self.reduce(n, "ReduceMax")

    def op_ConcatV2(self, n):
        ins = [i for i in n["input"] if not i.startswith("^")]
        axis = int(np.array(self.const(ins[-1])).reshape(()))
        xs = ins[:-1]
        peer = "nchw" if any(not self.is_const(i) and self.layout[ref(i)] == "nchw" for i in xs) else "plain"
        names = [self.operand(i, peer)[0] for i in xs]
        if peer == "nchw":
            axis = NHWC_TO_NCHW_AXIS[axis]
        self.emit("Concat", names, [n["name"]], axis=axis)
        self.layout[n["name"]] = peer

    def resize(self, n, mode):
        x = ref(n["input"][0])
        if self.layout[x] != "nchw":
            raise NotImplementedError("%s: resize of a non-image tensor" % n["name"])
        hw = np.array(self.const(n["input"][1])).astype(np.int64).reshape(2)
        shape = self.emit("Shape", [x], [self.fresh(n["name"] + "_shape")])
        nc = self.emit("Slice", [shape, self.add_init(self.fresh("s0"), np.array([0], np.int64)),
                                 self.add_init(self.fresh("s2"), np.array([2], np.int64))],
                       [self.fresh(n["name"] + "_nc")])
        sizes = self.emit("Concat", [nc, self.add_init(self.fresh(n["name"] + "_hw"), hw)],
                          [self.fresh(n["name"] + "_sizes")], axis=0)
        if attr_b(n, "align_corners"):
            ct = "align_corners"
        elif attr_b(n, "half_pixel_centers"):
            ct = "half_pixel" if mode == "linear" else "tf_half_pixel_for_nn"
        else:
            ct = "asymmetric"
        a = {"mode": mode, "coordinate_transformation_mode": ct}
        if mode == "nearest":
            a["nearest_mode"] = "round_prefer_ceil" if ct == "align_corners" else "floor"
        self.emit("Resize", [x, "", "", sizes], [n["name"]], **a)
        self.resizes.append((self.onnx_nodes[-1], x, hw))
        self.layout[n["name"]] = "nchw"

    def op_ResizeBilinear(self, n):
        self.resize(n, "linear")

    def op_ResizeNearestNeighbor(self, n):
        self.resize(n, "nearest")

    def pool(self, n, onnx_op):
        x = ref(n["input"][0])
        k = attr_ints(n, "ksize")
        a = self.conv_attrs(n, [k[1], k[2]])
        a.pop("dilations")
        self.emit(onnx_op, [x], [n["name"]], **a)
        self.layout[n["name"]] = "nchw"

    def op_MaxPool(self, n):
        self.pool(n, "MaxPool")

    def op_AvgPool(self, n):
        self.pool(n, "AveragePool")

    def op_Pad(self, n):
        x = ref(n["input"][0])
        p = np.array(self.const(n["input"][1])).astype(np.int64).reshape(-1, 2)
        order = [0, 3, 1, 2] if self.layout[x] == "nchw" else list(range(len(p)))
        pads = [int(p[d][0]) for d in order] + [int(p[d][1]) for d in order]
        ins = [x, self.add_init(self.fresh(n["name"] + "_pads"), np.array(pads, np.int64))]
        if len(n["input"]) > 2 and not n["input"][2].startswith("^"):
            ins.append(self.add_init(self.fresh(n["name"] + "_value"),
                                     np.array(self.const(n["input"][2]), np.float32).reshape(())))
        mode = {"REFLECT": "reflect", "SYMMETRIC": "edge"}.get(attr_s(n, "mode"), "constant")
        self.emit("Pad", ins, [n["name"]], mode=mode)
        self.layout[n["name"]] = self.layout[x]

    op_PadV2 = op_Pad
    op_MirrorPad = op_Pad

    def op_Softmax(self, n):
        x = self.to_plain(ref(n["input"][0]))
        self.emit("Softmax", [x], [n["name"]], axis=-1)
        self.layout[n["name"]] = "plain"

    def op_Prelu(self, n):
        x = ref(n["input"][0])
        slope, _ = self.operand(n["input"][1], self.layout[x])
        self.emit("PRelu", [x, slope], [n["name"]])
        self.layout[n["name"]] = self.layout[x]

    def op_AddN(self, n):
        ins = [i for i in n["input"] if not i.startswith("^")]
        peer = "nchw" if any(not self.is_const(i) and self.layout[ref(i)] == "nchw" for i in ins) else "plain"
        self.emit("Sum", [self.operand(i, peer)[0] for i in ins], [n["name"]])
        self.layout[n["name"]] = peer

    def op_MatMul(self, n):
        a = self.to_plain(ref(n["input"][0]))
        b, _ = self.operand(n["input"][1], "plain")
        if attr_b(n, "transpose_a"):
            a = self.emit("Transpose", [a], [self.fresh(n["name"] + "_at")], perm=[1, 0])
        if attr_b(n, "transpose_b"):
            b = self.emit("Transpose", [b], [self.fresh(n["name"] + "_bt")], perm=[1, 0])
        fused = [base64.b64decode(f).decode() for f in n.get("attr", {}).get("fused_ops", {}).get("list", {}).get("s", [])]
        args = [ref(i) for i in n["input"][2:] if not i.startswith("^")]
        out = n["name"] if not fused else self.fresh(n["name"] + "_mm")
        self.emit("MatMul", [a, b], [out])
        self.layout[out] = "plain"
        if fused and fused[0] == "BiasAdd":
            bias, _ = self.operand(args[0], "plain")
            fused, args = fused[1:], args[1:]
            biased = n["name"] if not fused else self.fresh(n["name"] + "_bias")
            self.emit("Add", [out, bias], [biased])
            self.layout[biased] = "plain"
            out = biased
        if fused:
            self.activation(fused, out, n, args)

    op__FusedMatMul = op_MatMul

    def op_Cast(self, n):
        self.unary(n, "Cast", to=onnx_type(n["attr"]["DstT"]["type"]))

    def op_Squeeze(self, n):
        x = self.to_plain(ref(n["input"][0]))
        axes = attr_ints(n, "squeeze_dims", [])
        ins = [x]
        if axes:
            ins.append(self.add_init(self.fresh(n["name"] + "_axes"), np.array(axes, np.int64)))
        self.emit("Squeeze", ins, [n["name"]])
        self.layout[n["name"]] = "plain"

    def op_Rsqrt(self, n):
        x = ref(n["input"][0])
        r = self.emit("Sqrt", [x], [self.fresh(n["name"] + "_sqrt")])
        self.emit("Reciprocal", [r], [n["name"]])
        self.layout[n["name"]] = self.layout[x]

    def op_Square(self, n):
        x = ref(n["input"][0])
        self.emit("Mul", [x, x], [n["name"]])
        self.layout[n["name"]] = self.layout[x]


    def op_SquaredDifference(self, n):
        self.binary(n, "Sub")
        d = self.rename(n["name"], self.fresh(n["name"] + "_diff"))
        self.emit("Mul", [d, d], [n["name"]])
        self.layout[n["name"]] = self.layout[d]

    def op_FloorDiv(self, n):
        if n.get("attr", {}).get("T", {}).get("type", "DT_FLOAT") == "DT_FLOAT":
            self.binary(n, "Div")
            q = self.rename(n["name"], self.fresh(n["name"] + "_div"))
            self.emit("Floor", [q], [n["name"]])
            self.layout[n["name"]] = self.layout[q]
            return
        # ONNX's integer Div truncates; TF floors: divide in float64, which
        # holds every int32 exactly.
        to = onnx_type(n["attr"]["T"]["type"])
        ins = []
        for i in n["input"][:2]:
            name, _ = self.operand(i, "plain")
            ins.append(self.emit("Cast", [self.to_plain(name)], [self.fresh(n["name"] + "_f64")], to=TensorProto.DOUBLE))
        q = self.emit("Div", ins, [self.fresh(n["name"] + "_div")])
        q = self.emit("Floor", [q], [self.fresh(n["name"] + "_floor")])
        self.emit("Cast", [q], [n["name"]], to=to)
        self.layout[n["name"]] = "plain"

    def op_ArgMax(self, n):
        x = self.to_plain(tensor(n["input"][0]))
        axis = int(np.array(self.const(n["input"][1])).reshape(()))
        to = onnx_type(n.get("attr", {}).get("output_type", {}).get("type", "DT_INT64"))
        i64 = self.emit("ArgMax", [x], [self.fresh(n["name"] + "_i64")], axis=axis, keepdims=0)
        self.emit("Cast", [i64], [n["name"]], to=to)
        self.layout[n["name"]] = "plain"

    def op_ExpandDims(self, n):
        x = self.to_plain(tensor(n["input"][0]))
        axis = np.array(self.const(n["input"][1])).astype(np.int64).reshape(-1)
        self.emit("Unsqueeze", [x, self.add_init(self.fresh(n["name"] + "_axes"), axis)], [n["name"]])
        self.layout[n["name"]] = "plain"

    def op_Pack(self, n):
        axis = int(n.get("attr", {}).get("axis", {}).get("i", 0))
        axes = self.add_init(self.fresh(n["name"] + "_axes"), np.array([axis], np.int64))
        ins = []
        for i in n["input"]:
            if i.startswith("^"):
                continue
            name, _ = self.operand(i, "plain")
            ins.append(self.emit("Unsqueeze", [self.to_plain(name), axes], [self.fresh(n["name"] + "_item")]))
        self.emit("Concat", ins, [n["name"]], axis=axis)
        self.layout[n["name"]] = "plain"

    def op_Unpack(self, n):
        """Splits along axis into num tensors: outputs name, name:1, name:2…"""
        x = self.to_plain(tensor(n["input"][0]))
        axis = int(n.get("attr", {}).get("axis", {}).get("i", 0))
        num = int(n["attr"]["num"]["i"])
        outs = [n["name"]] + ["%s:%d" % (n["name"], k) for k in range(1, num)]
        parts = [self.fresh(n["name"] + "_part") for _ in outs]
        if num == 1:
            parts = [x]
        else:
            self.emit("Split", [x], parts, axis=axis)
        axes = self.add_init(self.fresh(n["name"] + "_axes"), np.array([axis], np.int64))
        for part, out in zip(parts, outs):
            self.emit("Squeeze", [part, axes], [out])
            self.layout[out] = "plain"

    def op_GatherNd(self, n):
        params = self.to_plain(tensor(n["input"][0]))
        idx = n["input"][1]
        if self.is_const(idx):
            idx = self.add_init(self.fresh(n["name"] + "_idx"), np.array(self.const(idx)).astype(np.int64))
        else:
            idx = self.emit("Cast", [self.to_plain(tensor(idx))], [self.fresh(n["name"] + "_i64")], to=TensorProto.INT64)
        self.emit("GatherND", [params, idx], [n["name"]])
        self.layout[n["name"]] = "plain"

    def op_Reshape(self, n):
        x = self.to_plain(ref(n["input"][0]))
        shape = np.array(self.const(n["input"][1])).astype(np.int64).reshape(-1)
        self.emit("Reshape", [x, self.add_init(self.fresh(n["name"] + "_shape"), shape)], [n["name"]])
        self.layout[n["name"]] = "plain"


def approx_sixth(mul, conv):
    """1/6 as the model stores it (float16-rounded), when mul multiplies by it."""
    for i in mul.input:
        v = conv.scalar(i)
        if v is not None and abs(v - 1 / 6) < 1e-3:
            return v
    return None


def default_outputs(model):
    """The signature's outputs, or, in older models without one, the nodes
    nothing else reads."""
    sig = model.get("signature", {}).get("outputs")
    if sig:
        return list(sig.keys())
    nodes = model["modelTopology"]["node"]
    read = {ref(i) for n in nodes for i in n.get("input", [])}
    return [n["name"] for n in nodes if n["op"] != "Const" and n["name"] not in read]


def onnx_type(tf_type):
    return {"DT_FLOAT": TensorProto.FLOAT, "DT_INT32": TensorProto.INT32, "DT_INT64": TensorProto.INT64,
            "DT_BOOL": TensorProto.BOOL}[tf_type]


def tensor(name):
    """ONNX tensor of a TF input reference: "a:0" and "a" -> "a", "a:1" -> "a:1"
    (the second output of a node with several, such as Unpack)."""
    name = name.lstrip("^")
    return name[:-2] if name.endswith(":0") else name


def ref(name):
    """Node name of a TF input reference ("a:0" -> "a", "^a" -> "a")."""
    return name.lstrip("^").split(":")[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model_json")
    p.add_argument("out_onnx")
    p.add_argument("--outputs", default="", help="comma-separated output names (default: the signature's)")
    p.add_argument("--input-name", default="", help="name of the ONNX input (default: input)")
    p.add_argument("--input-layout", default="NHWC", choices=["NHWC", "NCHW"], help="layout of a 4-D input (default: NHWC, as TF.js)")
    p.add_argument("--dynamic-hw", action="store_true", help="symbolic height and width of a 4-D input")
    args = p.parse_args()
    model = json.load(open(args.model_json))
    outputs = [o for o in args.outputs.split(",") if o] or default_outputs(model)
    weights = read_weights(args.model_json, model["weightsManifest"])
    conv = Converter(model, weights, outputs, args.input_name, args.input_layout, args.dynamic_hw)
    onnx_model = conv.convert()
    onnx.checker.check_model(onnx_model)
    tmp = args.out_onnx + ".tmp"
    onnx.save(onnx_model, tmp)
    os.replace(tmp, args.out_onnx)
    print("converted %s: %d nodes, %d initializers" % (args.model_json, len(conv.onnx_nodes), len(conv.inits)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
