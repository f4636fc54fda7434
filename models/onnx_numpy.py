"""A minimal numpy executor for ONNX graphs (the op subset a small CNN detector exports to).

onnxruntime is not installed here and onnx 1.12 has no onnx.reference, so this runs the exported
file itself to check the export and to compute AP from the .onnx. Supported ops: Conv (group 1),
Relu, Sigmoid, Softplus, Mul, Add, Sub, Div, Concat, Reshape, Flatten, Transpose, Resize/Upsample
(nearest, integer scales), Shape, Gather, Unsqueeze, Squeeze, Slice, Constant, Identity,
MaxPool, Cast, ConstantOfShape, Split.
"""
import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    out = {}
    for a in node.attribute:
        out[a.name] = onnx.helper.get_attribute_value(a)
    return out


def _conv(x, w, b, strides, pads, dil, group):
    if group != 1 or any(d != 1 for d in dil):
        raise NotImplementedError("Conv with group/dilation")
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    sh, sw = strides
    pt, pl, pb, pr = pads
    if pt or pl or pb or pr:
        x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    Ho = (x.shape[2] - kh) // sh + 1
    Wo = (x.shape[3] - kw) // sw + 1
    if kh == 1 and kw == 1:
        xs = x[:, :, ::sh, ::sw][:, :, :Ho, :Wo]
        y = np.einsum("nchw,oc->nohw", xs, w[:, :, 0, 0], optimize=True)
    else:
        win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :Ho, :Wo]
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, C * kh * kw)
        y = (cols @ w.reshape(O, -1).T).reshape(N, Ho, Wo, O).transpose(0, 3, 1, 2)
    if b is not None:
        y = y + b[None, :, None, None]
    return np.ascontiguousarray(y, dtype=np.float32)


class Runner:
    def __init__(self, path_or_model):
        m = onnx.load(path_or_model) if isinstance(path_or_model, str) else path_or_model
        self.model = m
        g = m.graph
        self.init = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.init]
        self.outputs = [o.name for o in g.output]
        self.nodes = list(g.node)

    def ops(self):
        return sorted(set(n.op_type for n in self.nodes))

    def run(self, feeds):
        env = dict(self.init)
        env.update({k: np.asarray(v) for k, v in feeds.items()})
        for n in self.nodes:
            ins = [env[i] if i else None for i in n.input]
            at = _attrs(n)
            op = n.op_type
            if op == "Conv":
                k = ins[1].shape[2:]
                pads = at.get("pads", [0, 0, 0, 0])
                if at.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
                    raise NotImplementedError("auto_pad")
                out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, at.get("strides", [1, 1]),
                            [pads[0], pads[1], pads[2], pads[3]], at.get("dilations", [1, 1]), at.get("group", 1))
            elif op == "Relu":
                out = np.maximum(ins[0], 0)
            elif op == "Sigmoid":
                out = (1.0 / (1.0 + np.exp(-ins[0]))).astype(np.float32)
            elif op == "Softplus":
                x = ins[0]
                out = (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))).astype(np.float32)
            elif op == "Mul":
                out = ins[0] * ins[1]
            elif op == "Add":
                out = ins[0] + ins[1]
            elif op == "Sub":
                out = ins[0] - ins[1]
            elif op == "Div":
                out = ins[0] / ins[1]
            elif op == "Concat":
                out = np.concatenate(ins, axis=at["axis"])
            elif op == "Reshape":
                shape = [int(s) for s in ins[1]]
                shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
                out = ins[0].reshape(shape)
            elif op == "Flatten":
                ax = at.get("axis", 1)
                out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
            elif op == "Transpose":
                out = ins[0].transpose(at["perm"])
            elif op in ("Resize", "Upsample"):
                x = ins[0]
                scales = None
                if op == "Upsample":
                    scales = ins[1]
                else:
                    if len(ins) > 2 and ins[2] is not None and ins[2].size:
                        scales = ins[2]
                    elif len(ins) > 3 and ins[3] is not None:
                        scales = np.array(ins[3], np.float32) / np.array(x.shape, np.float32)
                    mode = at.get("mode", b"nearest")
                    if mode not in (b"nearest", "nearest"):
                        raise NotImplementedError("Resize mode %r" % mode)
                out = x
                for ax, s in enumerate(scales):
                    s = float(s)
                    if s != 1.0:
                        if abs(s - round(s)) > 1e-6:
                            raise NotImplementedError("non-integer scale")
                        out = np.repeat(out, int(round(s)), axis=ax)
            elif op == "Shape":
                out = np.array(ins[0].shape, np.int64)
            elif op == "Gather":
                out = np.take(ins[0], ins[1], axis=at.get("axis", 0))
            elif op == "Unsqueeze":
                axes = at.get("axes")
                if axes is None:
                    axes = [int(v) for v in ins[1]]
                out = ins[0]
                for ax in sorted(axes):
                    out = np.expand_dims(out, ax)
            elif op == "Squeeze":
                axes = at.get("axes")
                if axes is None and len(ins) > 1:
                    axes = [int(v) for v in ins[1]]
                out = np.squeeze(ins[0], axis=tuple(axes) if axes is not None else None)
            elif op == "Slice":
                x = ins[0]
                starts, ends = ins[1], ins[2]
                axes = ins[3] if len(ins) > 3 and ins[3] is not None else np.arange(len(starts))
                steps = ins[4] if len(ins) > 4 and ins[4] is not None else np.ones(len(starts), np.int64)
                sl = [slice(None)] * x.ndim
                for s, e, ax, st in zip(starts, ends, axes, steps):
                    sl[int(ax)] = slice(int(s), int(min(e, np.iinfo(np.int64).max)), int(st))
                out = x[tuple(sl)]
            elif op == "Split":
                ax = at.get("axis", 0)
                split = at.get("split")
                if split is None and len(ins) > 1 and ins[1] is not None:
                    split = [int(v) for v in ins[1]]
                if split is None:
                    parts = np.split(ins[0], len(n.output), axis=ax)
                else:
                    parts = np.split(ins[0], np.cumsum(split)[:-1], axis=ax)
                for name, p in zip(n.output, parts):
                    env[name] = p
                continue
            elif op == "Constant":
                out = numpy_helper.to_array(at["value"])
            elif op == "ConstantOfShape":
                v = at.get("value")
                val = numpy_helper.to_array(v) if v is not None else np.zeros(1, np.float32)
                out = np.full([int(s) for s in ins[0]], val.reshape(-1)[0], val.dtype)
            elif op == "Identity":
                out = ins[0]
            elif op == "Cast":
                to = at["to"]
                out = ins[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to])
            elif op == "MaxPool":
                x = ins[0]
                kh, kw = at["kernel_shape"]
                sh, sw = at.get("strides", [1, 1])
                p = at.get("pads", [0, 0, 0, 0])
                xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])), constant_values=-np.inf)
                win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
                out = win.max(axis=(-1, -2))
            else:
                raise NotImplementedError("op %s" % op)
            env[n.output[0]] = out
        return [env[o] for o in self.outputs]
