/**
 * Linear-algebra benchmarks: eigh, svd, randomizedSvd and cholesky of src/linalg against numpy /
 * scipy / scikit-learn (LAPACK + OpenBLAS from /usr/bin/python3) and ml-matrix (the JS peer:
 * EigenvalueDecomposition, SingularValueDecomposition, CholeskyDecomposition), on the same matrices
 * (written to a temporary file for Python). Reports medians of warm runs and the largest deviation
 * of our eigenvalues / singular values from numpy's, relative to the largest one.
 *
 *   npx tsx bench/linalg.ts            full sizes (MNIST 784-pixel covariance, 2000×784 SVD, ...)
 *   npx tsx bench/linalg.ts --small    smoke run
 *
 * Writes bench/results/linalg.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  Matrix as MlMatrix,
  SingularValueDecomposition,
} from 'ml-matrix';
import { Matrix } from '../src/core/matrix.js';
import { Rng } from '../src/core/rng.js';
import { loadMnist } from '../src/datasets/index.js';
import { getBackend, syrk } from '../src/kernels/index.js';
import { cholesky, eigh, randomizedSvd, svd } from '../src/linalg/index.js';
import { PY_TIMER, fmt, machineInfo, mdTable, runPython, timeIt, writeResults } from './common.js';

const small = process.argv.includes('--small');
const dir = mkdtempSync(join(tmpdir(), 'linalg-bench-'));

interface Case {
  op: 'eigh' | 'eigh-top' | 'svd' | 'rsvd' | 'cholesky';
  label: string;
  A: Matrix<Float64Array>;
  k?: number;
}

function randn(m: number, n: number, seed: number): Matrix<Float64Array> {
  const a = new Float64Array(m * n);
  new Rng(seed).fillNormal(a);
  return new Matrix(a, m, n);
}

/** Covariance (d×d) of the rows of X. */
function covariance(X: Matrix<Float64Array>): Matrix<Float64Array> {
  const { rows: n, cols: d } = X;
  const Xc = X.data.slice();
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Xc[i * d + j]!;
    s /= n;
    for (let i = 0; i < n; i++) Xc[i * d + j] -= s;
  }
  const C = new Float64Array(d * d);
  syrk(n, d, Xc, C, { alpha: 1 / (n - 1) });
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) C[i * d + j] = C[j * d + i]!;
  return new Matrix(C, d, d);
}

function spd(n: number, seed: number): Matrix<Float64Array> {
  const X = randn(n, n, seed);
  const C = new Float64Array(n * n);
  syrk(n, n, X.data, C);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) C[i * n + j] = C[j * n + i]!;
  for (let i = 0; i < n; i++) C[i * n + i] += n;
  return new Matrix(C, n, n);
}

const mnistN = small ? 1000 : 10000;
const mnist = loadMnist({ split: 'train', limit: mnistN }).X as Matrix<Float64Array>;
const cases: Case[] = small
  ? [
      { op: 'eigh', label: 'eigh 200×200 random symmetric', A: covariance(randn(400, 200, 1)) },
      { op: 'eigh', label: `eigh 784×784 MNIST covariance (${mnistN} images)`, A: covariance(mnist) },
      { op: 'svd', label: 'svd 300×100 random', A: randn(300, 100, 2) },
      { op: 'rsvd', label: 'randomizedSvd 500×200, k=10', A: randn(500, 200, 3), k: 10 },
      { op: 'cholesky', label: 'cholesky 300×300 SPD', A: spd(300, 4) },
    ]
  : [
      { op: 'eigh', label: 'eigh 500×500 random covariance', A: covariance(randn(1000, 500, 1)) },
      { op: 'eigh', label: `eigh 784×784 MNIST covariance (${mnistN} images)`, A: covariance(mnist) },
      { op: 'eigh-top', label: 'eigh 784×784 MNIST covariance, largest 50', A: covariance(mnist), k: 50 },
      { op: 'svd', label: 'svd 500×200 random', A: randn(500, 200, 2) },
      {
        op: 'svd',
        label: 'svd 2000×784 MNIST images',
        A: mnist.rowSlice(0, 2000).clone() as Matrix<Float64Array>,
      },
      { op: 'rsvd', label: 'randomizedSvd 10000×784 MNIST, k=50', A: mnist, k: 50 },
      { op: 'cholesky', label: 'cholesky 1000×1000 SPD', A: spd(1000, 4) },
      { op: 'cholesky', label: 'cholesky 2000×2000 SPD', A: spd(2000, 5) },
    ];

// ---- numpy / scipy / scikit-learn ------------------------------------------------------------------
const files = cases.map((c, i) => {
  const f = join(dir, `case${i}.f64`);
  writeFileSync(f, c.A.data);
  return { f, op: c.op, m: c.A.rows, n: c.A.cols, k: c.k ?? 0 };
});
interface PyOut {
  ms: number;
  vals: number[];
}
const py = runPython<PyOut[]>(
  `${PY_TIMER}
import numpy as np, scipy.linalg as sla
from sklearn.utils.extmath import randomized_svd
cases = ${JSON.stringify(files)}
out = []
for c in cases:
    A = np.fromfile(c['f'], dtype=np.float64).reshape(c['m'], c['n'])
    op = c['op']; k = c['k']
    if op == 'eigh':
        f = lambda: np.linalg.eigh(A); vals = np.linalg.eigh(A)[0]
    elif op == 'eigh-top':
        n = A.shape[0]
        f = lambda: sla.eigh(A, subset_by_index=[n - k, n - 1]); vals = f()[0]
    elif op == 'svd':
        f = lambda: np.linalg.svd(A, full_matrices=False); vals = np.linalg.svd(A, compute_uv=False)
    elif op == 'rsvd':
        # reference values: the exact leading singular values (both methods approximate them)
        f = lambda: randomized_svd(A, k, random_state=0); vals = np.linalg.svd(A, compute_uv=False)[:k]
    else:
        f = lambda: np.linalg.cholesky(A); vals = [float(np.linalg.slogdet(A)[1])]
    out.append({'ms': bench(f, reps=5, min_ms=300), 'vals': [float(v) for v in vals]})
print(json.dumps(out))
`,
  1_800_000,
);

// ---- ours and ml-matrix ----------------------------------------------------------------------------
const rows: (string | number)[][] = [];
for (let i = 0; i < cases.length; i++) {
  const c = cases[i]!;
  const big = c.A.rows * c.A.cols > 300_000;
  let vals: Float64Array = new Float64Array(0);
  const run = (): void => {
    if (c.op === 'eigh') vals = eigh(c.A).values;
    else if (c.op === 'eigh-top') vals = eigh(c.A, { largest: c.k! }).values;
    else if (c.op === 'svd') vals = svd(c.A).s;
    else if (c.op === 'rsvd') vals = randomizedSvd(c.A, c.k!, { seed: 0 }).s;
    else {
      const L = cholesky(c.A);
      let s = 0;
      for (let j = 0; j < L.rows; j++) s += Math.log(L.get(j, j));
      vals = new Float64Array([2 * s]);
    }
  };
  const ours = timeIt(run, { warmup: 1, reps: big ? 3 : 5, minMs: 300 });
  // ml-matrix has no eigenvalue subset (its full decomposition is the peer there) and no randomized
  // SVD (its full SVD of a 10000×784 matrix takes minutes: not timed).
  let ml: number | null = null;
  if (c.op !== 'rsvd' || small) {
    const mlA = MlMatrix.from1DArray(c.A.rows, c.A.cols, Array.from(c.A.data));
    const mlRun =
      c.op === 'eigh' || c.op === 'eigh-top'
        ? () => new EigenvalueDecomposition(mlA, { assumeSymmetric: true })
        : c.op === 'svd' || c.op === 'rsvd'
          ? () => new SingularValueDecomposition(mlA, { autoTranspose: true })
          : () => new CholeskyDecomposition(mlA);
    ml = timeIt(mlRun, { warmup: big ? 0 : 1, reps: big ? 1 : 3, minMs: 0 }).median;
  }
  const p = py?.[i] ?? null;
  let dev: number | null = null;
  if (p && p.vals.length) {
    const ref = p.vals.slice().sort((a, b) => a - b);
    const ours2 = Array.from(vals).sort((a, b) => a - b);
    const scale = Math.max(...ref.map(Math.abs));
    dev = 0;
    for (let j = 0; j < Math.min(ref.length, ours2.length); j++)
      dev = Math.max(dev, Math.abs(ref[j]! - ours2[j]!));
    dev /= scale;
  }
  rows.push([
    c.label,
    fmt(ours.median, 1),
    p ? fmt(p.ms, 1) : '–',
    fmt(ml, 0),
    p ? `${fmt(ours.median / p.ms, 2)}x` : '–',
    ml === null ? '–' : `${fmt(ml / ours.median, 1)}x`,
    dev === null ? '–' : dev.toExponential(1),
  ]);
  console.log(rows[rows.length - 1]!.join(' | '));
}
rmSync(dir, { recursive: true, force: true });

const md = `## Linear algebra (eigh, svd, randomizedSvd, cholesky)

Command: \`npx tsx bench/linalg.ts${small ? ' --small' : ''}\`${small ? ' (smoke run: small sizes)' : ''}. Machine: ${machineInfo()}.
Kernels backend: ${getBackend().description ?? getBackend().name}. Medians of warm runs, ms. numpy/scipy/scikit-learn
from /usr/bin/python3 (LAPACK dsyevd/dgesdd/dpotrf on OpenBLAS, 2 threads); ml-matrix ${'6.x'} (JAMA ports; for the
eigenvalue-subset row its full decomposition is timed, as it has nothing smaller; it has no randomized SVD).
"deviation" = max |ours − numpy| over the eigenvalues / singular values (log-determinant for Cholesky),
relative to the largest in magnitude; for randomizedSvd, against numpy's exact leading singular values.

${mdTable(['case', 'ours (ms)', 'numpy (ms)', 'ml-matrix (ms)', 'ours / numpy', 'ml-matrix / ours', 'deviation'], rows)}
`;
writeResults('linalg', md);
