"""A NASNet child written for PyTorch: the peer that bench/peer-torch.sh runs beside the project's own.

The network is the one io.nasnet.child.NetworkBuilder builds for a genotype (the same one-line text) and
a CIFAR stacking, op for op: a 3x3 stem of 3F filters with batch norm; 3N cells (reductions after the
N-th and 2N-th, filters doubled there); each cell's two inputs brought to its filters (1x1 ReLU-conv-BN,
or a factorized reduction when h_{i-1} is larger); every op ReLU -> convolutions -> BN; separable
convolutions applied twice, only the first strided; SAME padding as TensorFlow pads it (asymmetric at
stride 2), average pooling without the padding in its divisor; unused states concatenated; ReLU, global
average pooling, a dense softmax layer. It is trained as a search trains a child: Nesterov momentum
0.9, learning rate 0.05, L2 5e-4 on the weights, batch norm eps 1e-3 and decay 0.9.

It prints its parameter count (with the batch norms' running statistics, as DL4J counts them), the
median images per second of the timed steps and the process's peak resident size.

    python3 nasnet_torch.py N F SIZE CHANNELS BATCH STEPS THREADS "GENOTYPE"
"""
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as fn

KERNELS = {"identity": 1, "conv1x3_3x1": 3, "conv1x7_7x1": 7, "dil3x3": 3, "avg3x3": 3, "max3x3": 3,
           "max5x5": 5, "max7x7": 7, "conv1x1": 1, "conv3x3": 3, "sep3x3": 3, "sep5x5": 5, "sep7x7": 7}


def parse(text):
    """The two cells of a genotype's one-line text: [(blocks, concat)] for normal and reduction."""
    cells = []
    for part in text.split("|"):
        blocks = [(int(a), o1, int(b), o2, c) for a, o1, b, o2, c in
                  re.findall(r"\((\d+) (\w+), (\d+) (\w+), (\w+)\)", part)]
        for _, o1, _, o2, _ in blocks:
            for op in (o1, o2):
                if op not in KERNELS:
                    raise SystemExit(f"unknown op '{op}' in genotype: {text}")
        concat = [int(s) for s in re.search(r"concat ([\d ]+)", part).group(1).split()]
        cells.append((blocks, concat))
    return cells


def same(size, k, s, d=1):
    """TensorFlow's SAME padding of one dimension: (before, after)."""
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """A bias-free convolution with SAME padding for an input of height h, width w."""

    def __init__(self, cin, cout, kh, kw, sh, sw, h, w, dilation=1, groups=1):
        super().__init__()
        self.pad = same(w, kw, sw, dilation) + same(h, kh, sh, dilation)
        self.conv = nn.Conv2d(cin, cout, (kh, kw), (sh, sw), dilation=dilation, groups=groups, bias=False)

    def forward(self, x):
        return self.conv(fn.pad(x, self.pad) if any(self.pad) else x)


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.1)


class ReluConvBn(nn.Sequential):
    def __init__(self, *layers):
        super().__init__(nn.ReLU(), *layers)


class Pool(nn.Module):
    """Max or average pooling with SAME padding; the average leaves the padding out of its divisor."""

    def __init__(self, kind, k, s, h, w):
        super().__init__()
        self.kind, self.k, self.s = kind, k, s
        self.pad = same(w, k, s) + same(h, k, s)
        ones = fn.pad(torch.ones(1, 1, h, w), self.pad)
        self.register_buffer("count", fn.avg_pool2d(ones, k, s) if kind == "avg" else None, persistent=False)

    def forward(self, x):
        if self.kind == "max":
            return fn.max_pool2d(fn.pad(x, self.pad, value=float("-inf")), self.k, self.s)
        return fn.avg_pool2d(fn.pad(x, self.pad), self.k, self.s) / self.count


class FactorizedReduction(nn.Module):
    """Two stride-2 1x1 paths, the second shifted by a pixel, concatenated, then BN (TF-slim's)."""

    def __init__(self, cin, filters, relu):
        super().__init__()
        self.relu = relu
        self.path1 = nn.Conv2d(cin, filters // 2, 1, 2, bias=False)
        self.path2 = nn.Conv2d(cin, filters - filters // 2, 1, 2, bias=False)
        self.bn = bn(filters)

    def forward(self, x):
        if self.relu:
            x = fn.relu(x)
        shifted = fn.pad(x, (0, 1, 0, 1))[:, :, 1:, 1:]
        return self.bn(torch.cat([self.path1(x), self.path2(shifted)], 1))


def op(name, c, filters, stride, h, w):
    """One op of a block: (module or None for the identity, its output channels)."""
    k = KERNELS[name]
    if name == "identity":
        if stride > 1 or c != filters:
            return ReluConvBn(Conv(c, filters, 1, 1, stride, stride, h, w), bn(filters)), filters
        return None, c
    if name.startswith(("avg", "max")):
        pool = Pool(name[:3], k, stride, h, w)
        if c != filters:
            ho, wo = -(-h // stride), -(-w // stride)
            return nn.Sequential(pool, Conv(c, filters, 1, 1, 1, 1, ho, wo), bn(filters)), filters
        return pool, c
    if name in ("conv1x1", "conv3x3"):
        return ReluConvBn(Conv(c, filters, k, k, stride, stride, h, w), bn(filters)), filters
    if name == "dil3x3":
        return ReluConvBn(Conv(c, filters, 3, 3, stride, stride, h, w, dilation=2), bn(filters)), filters
    if name.startswith("conv1x"):
        wo = -(-w // stride)
        return ReluConvBn(Conv(c, filters, 1, k, 1, stride, h, w), Conv(filters, filters, k, 1, stride, 1, h, wo),
                          bn(filters)), filters
    ho, wo = -(-h // stride), -(-w // stride)
    return nn.Sequential(
        ReluConvBn(Conv(c, c, k, k, stride, stride, h, w, groups=c), Conv(c, filters, 1, 1, 1, 1, ho, wo), bn(filters)),
        ReluConvBn(Conv(filters, filters, k, k, 1, 1, ho, wo, groups=filters),
                   Conv(filters, filters, 1, 1, 1, 1, ho, wo), bn(filters))), filters


class Cell(nn.Module):
    def __init__(self, cell, reduction, hi, prev, filters):
        """hi, prev: (channels, height, width) of h_i and h_{i-1}."""
        super().__init__()
        blocks, concat = cell
        c, h, w = hi
        self.s0 = ReluConvBn(nn.Conv2d(c, filters, 1, bias=False), bn(filters))
        if prev[1:] != hi[1:]:
            self.s1 = FactorizedReduction(prev[0], filters, True)
        elif prev[0] != filters:
            self.s1 = ReluConvBn(nn.Conv2d(prev[0], filters, 1, bias=False), bn(filters))
        else:
            self.s1 = nn.Identity()
        shapes = [(filters, h, w), (filters, h, w)]
        self.blocks = nn.ModuleList()
        self.wiring = []
        for a, o1, b, o2, combine in blocks:
            pair = []
            for i, name in ((a, o1), (b, o2)):
                s = 2 if reduction and i < 2 else 1
                ci, hi_, wi = shapes[i]
                module, cout = op(name, ci, filters, s, hi_, wi)
                pair.append((module, cout, -(-hi_ // s), -(-wi // s)))
            self.blocks.append(nn.ModuleList([m or nn.Identity() for m, _, _, _ in pair]))
            self.wiring.append((a, b, combine))
            (_, c1, h1, w1), (_, c2, _, _) = pair
            shapes.append((c1 + c2 if combine == "concat" else filters, h1, w1))
        out_h, out_w = (-(-h // 2), -(-w // 2)) if reduction else (h, w)
        self.concat = concat
        self.out = nn.ModuleDict()
        for s in concat:
            if shapes[s][1:] != (out_h, out_w):
                self.out[str(s)] = FactorizedReduction(shapes[s][0], filters, False)
        self.shape = (sum(filters if str(s) in self.out else shapes[s][0] for s in concat), out_h, out_w)

    def forward(self, hi, prev):
        states = [self.s0(hi), self.s1(prev)]
        for (left, right), (a, b, combine) in zip(self.blocks, self.wiring):
            x, y = left(states[a]), right(states[b])
            states.append(torch.cat([x, y], 1) if combine == "concat" else x + y)
        outs = [self.out[str(s)](states[s]) if str(s) in self.out else states[s] for s in self.concat]
        return outs[0] if len(outs) == 1 else torch.cat(outs, 1)


class Network(nn.Module):
    def __init__(self, genotype, n, f, size, channels, classes=10):
        super().__init__()
        normal, reduction = parse(genotype)
        self.stem = nn.Sequential(Conv(channels, 3 * f, 3, 3, 1, 1, size, size), bn(3 * f))
        shape = (3 * f, size, size)
        outputs = [None, shape]
        self.cells = nn.ModuleList()
        self.inputs = []
        filters = f
        for i in range(3 * n):
            prev = len(outputs) - 2
            if i > 0 and i % n == 0:
                filters *= 2
                self.add(reduction, True, outputs, len(outputs) - 2, filters)
                prev = len(outputs) - 2
            self.add(normal, False, outputs, prev, filters)
        self.classifier = nn.Linear(outputs[-1][0], classes)

    def add(self, cell, reduction, outputs, prev, filters):
        """A cell reading the last output (h_i) and output prev (h_{i-1}; the stem again for the first cell)."""
        hi = len(outputs) - 1
        prev = prev if outputs[prev] is not None else hi
        module = Cell(cell, reduction, outputs[hi], outputs[prev], filters)
        self.inputs.append((hi, prev))
        self.cells.append(module)
        outputs.append(module.shape)

    def forward(self, x):
        outputs = [None, self.stem(x)]
        for cell, (i, j) in zip(self.cells, self.inputs):
            outputs.append(cell(outputs[i], outputs[j]))
        return self.classifier(fn.adaptive_avg_pool2d(fn.relu(outputs[-1]), 1).flatten(1))


def peak_rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))


def main():
    n, f, size, channels, batch, steps, threads = (int(a) for a in sys.argv[1:8])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = Network(sys.argv[8], n, f, size, channels)
    params = sum(p.numel() for p in net.parameters()) + sum(
        b.numel() for name, b in net.named_buffers() if name.endswith(("running_mean", "running_var")))
    decay = [p for name, p in net.named_parameters() if name.endswith("weight") and p.dim() > 1]
    rest = [p for name, p in net.named_parameters() if not (name.endswith("weight") and p.dim() > 1)]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest, "weight_decay": 0}],
                          lr=0.05, momentum=0.9, nesterov=True)
    x = torch.rand(batch, channels, size, size)
    y = torch.arange(batch) % 10
    seconds = []
    for i in range(2 + steps):
        t = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = fn.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        if i >= 2:
            seconds.append(time.perf_counter() - t)
    seconds.sort()
    print(f"pytorch {torch.__version__} N={n} F={f} input={size}x{size}x{channels} batch={batch} threads={threads}: "
          f"params={params} {batch / seconds[len(seconds) // 2]:.1f} images/s (median of {steps} steps), "
          f"peak RSS {peak_rss() / 1e9:.2f} GB, loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
