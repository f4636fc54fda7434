"""Rebuild the torch TinyDet from an exported TinyDet .onnx (BatchNorm folded into Conv at export).

Each Conv node's output is named after its module path ('/net/s3/s3.0/s3.0.0/Conv_output_0' -> net.s3.0.0); its
weight and bias go into that Conv2d, and the BatchNorm after it becomes an identity (weight 1, bias 0, mean 0,
var 1 - eps). Lets a committed model be re-exported at another input size or fine-tuned when the training
checkpoint is not at hand.
"""
import numpy as np
import onnx
import torch
from onnx import numpy_helper

import detector as D


def load_tinydet(path):
    m = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    for n in m.graph.node:   # the exporter may turn a parameter into a Constant node (e.g. equal biases shared)
        if n.op_type == "Constant":
            inits[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        elif n.op_type == "Identity" and n.input[0] in inits:
            inits[n.output[0]] = inits[n.input[0]]
    net = D.TinyDet()
    mods = dict(net.named_modules())
    done = set()
    with torch.no_grad():
        for n in m.graph.node:
            if n.op_type != "Conv":
                continue
            parts = n.output[0].split("/")[1:-1]          # ['net', 'heads.1', 'reg', 'reg.0', 'reg.0.0']
            assert parts[0] == "net", n.output[0]
            name, prev = parts[1], parts[1]
            for seg in parts[2:]:                          # each scope repeats its parent's local name
                name += seg[len(prev):] if seg.startswith(prev + ".") else "." + seg
                prev = seg
            conv = mods[name]
            w = torch.from_numpy(inits[n.input[1]].copy())
            b = torch.from_numpy(inits[n.input[2]].copy()) if len(n.input) > 2 else None
            assert tuple(conv.weight.shape) == tuple(w.shape), (name, conv.weight.shape, w.shape)
            conv.weight.copy_(w)
            parent = name.rsplit(".", 1)[0]
            bn = mods.get(parent + ".1") if name.endswith(".0") else None
            if isinstance(bn, torch.nn.BatchNorm2d):
                bn.weight.fill_(1.0)
                bn.bias.copy_(b)
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
            else:
                conv.bias.copy_(b)
            done.add(name)
    convs = {k for k, v in mods.items() if isinstance(v, torch.nn.Conv2d)}
    missing = convs - done
    assert not missing, "convs without weights: %s" % sorted(missing)
    return net.eval()


if __name__ == "__main__":
    import sys
    net = load_tinydet(sys.argv[1] if len(sys.argv) > 1 else "models/demo/edgeai-demo.onnx")
    print("loaded", sum(p.numel() for p in net.parameters()), "parameters")
