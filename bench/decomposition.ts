/**
 * Decomposition benchmarks, side by side in one run: PCA to 50 components on MNIST (ours 'full' and
 * 'randomized' vs scikit-learn 1.2 'full' and 'randomized', and ml-pca, the JS peer), NMF with 50
 * components (HALS / 'cd', a fixed number of iterations so both do the same work), a
 * MiniBatchDictionaryLearning run (one epoch, fixed schedule), and sparse coding of MNIST digits over a
 * fixed dictionary (OMP and lasso-LARS), all on the same data (written to a temporary .npy for Python).
 *
 *   npx tsx bench/decomposition.ts            full sizes (PCA on 60,000 × 784, NMF on 20,000 digits)
 *   npx tsx bench/decomposition.ts --small    smoke run (5,000 / 2,000 digits, fewer iterations)
 *
 * Writes bench/results/decomposition.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCA as MlPCA } from 'ml-pca';
import { Matrix } from '../src/core/matrix.js';
import { loadMnist, writeNpy } from '../src/datasets/index.js';
import { MiniBatchDictionaryLearning, NMF, PCA, SparseCoder } from '../src/decomposition/index.js';
import { getBackend } from '../src/kernels/index.js';
import { PY_TIMER, fmt, machineInfo, mdTable, runPython, timeIt, writeResults } from './common.js';

const small = process.argv.includes('--small');
const dir = mkdtempSync(join(tmpdir(), 'decomp-bench-'));
const nPca = small ? 5000 : 60000;
const nMl = small ? 1000 : 10000;
const nNmf = small ? 2000 : 20000;
const nmfIter = small ? 10 : 50;
const nDict = small ? 2000 : 10000;
const nCode = small ? 1000 : 10000;
const reps = small ? 3 : 3;

const { X: all } = loadMnist({ split: 'train' });
const Xp = all.rowSlice(0, nPca).clone() as Matrix<Float64Array>;
const Xn = all.rowSlice(0, nNmf).clone() as Matrix<Float64Array>;
const Xd = all.rowSlice(0, nDict).clone() as Matrix<Float64Array>;
writeFileSync(join(dir, 'pca.npy'), writeNpy(Xp));
writeFileSync(join(dir, 'nmf.npy'), writeNpy(Xn));
writeFileSync(join(dir, 'dict.npy'), writeNpy(Xd));

interface Row {
  label: string;
  ours: number;
  sk: number | null;
  ml?: number | null;
  check: string;
}
const rows: Row[] = [];
const log = (s: string) => console.error(s);

// ---------------------------------------------------------------------------------------------
// PCA-50
log(`PCA-50 on ${nPca} × 784 ...`);
const ourFull = timeIt(() => void new PCA({ nComponents: 50, svdSolver: 'full' }).fit(Xp), {
  reps,
  minMs: 0,
  warmup: 1,
});
const ourRand = timeIt(() => void new PCA({ nComponents: 50, svdSolver: 'randomized', seed: 0 }).fit(Xp), {
  reps,
  minMs: 0,
  warmup: 1,
});
const pFull = new PCA({ nComponents: 50, svdSolver: 'full' }).fit(Xp);
const pRand = new PCA({ nComponents: 50, svdSolver: 'randomized', seed: 0 }).fit(Xp);
let maxDev = 0;
for (let t = 0; t < 50; t++) {
  const rel =
    Math.abs(pRand.explainedVariance[t]! - pFull.explainedVariance[t]!) / pFull.explainedVariance[t]!;
  if (rel > maxDev) maxDev = rel;
}
// Largest entry difference of the top-10 components (both sign-fixed the same way).
let compDev = 0;
for (let t = 0; t < 10; t++)
  for (let j = 0; j < 784; j++)
    compDev = Math.max(compDev, Math.abs(pRand.components.get(t, j) - pFull.components.get(t, j)));
const skPca = runPython<{ full: number; rand: number; ev: number[] }>(
  `${PY_TIMER}
import numpy as np
from sklearn.decomposition import PCA
X = np.load(${JSON.stringify(join(dir, 'pca.npy'))})
full = bench(lambda: PCA(n_components=50, svd_solver='full').fit(X), reps=${reps}, min_ms=0)
rand = bench(lambda: PCA(n_components=50, svd_solver='randomized', random_state=0).fit(X), reps=${reps}, min_ms=0)
ev = PCA(n_components=50, svd_solver='full').fit(X).explained_variance_.tolist()
print(json.dumps(dict(full=full, rand=rand, ev=ev)))
`,
);
let evDev = NaN;
if (skPca) {
  evDev = 0;
  for (let t = 0; t < 50; t++)
    evDev = Math.max(evDev, Math.abs(pFull.explainedVariance[t]! - skPca.ev[t]!) / skPca.ev[t]!);
}
rows.push({
  label: `PCA-50, exact ('full'), ${nPca} × 784`,
  ours: ourFull.median,
  sk: skPca?.full ?? null,
  check: `explained variance vs sklearn: ${evDev.toExponential(1)}`,
});
rows.push({
  label: `PCA-50, randomized, ${nPca} × 784`,
  ours: ourRand.median,
  sk: skPca?.rand ?? null,
  check: `vs exact: top-10 components ${compDev.toExponential(1)}, explained variance (all 50) ${maxDev.toExponential(1)}`,
});
// ml-pca, the JS peer: its covariance path (its fastest; the default SVD path is slower still) takes
// minutes on 60,000 rows, so it is compared on the first nMl rows, against our exact solver there.
log(`ml-pca on ${nMl} rows ...`);
const Xm = Xp.rowSlice(0, nMl).clone() as Matrix<Float64Array>;
const rowsArr = Xm.toArray();
const mlT = timeIt(() => void new MlPCA(rowsArr, { method: 'covarianceMatrix' }), {
  reps: 1,
  minMs: 0,
  warmup: 0,
});
const ourSmall = timeIt(() => void new PCA({ nComponents: 50, svdSolver: 'full' }).fit(Xm), {
  reps,
  minMs: 0,
  warmup: 1,
});
rows.push({
  label: `PCA-50 exact vs ml-pca, ${nMl} × 784`,
  ours: ourSmall.median,
  sk: null,
  ml: mlT.median,
  check: 'ml-pca one run',
});

// ---------------------------------------------------------------------------------------------
// NMF, 50 components, fixed iterations
log(`NMF-50 on ${nNmf} × 784, ${nmfIter} iterations ...`);
let ourErr = 0;
const ourNmf = timeIt(
  () => {
    const m = new NMF({ nComponents: 50, solver: 'cd', init: 'nndsvda', maxIter: nmfIter, tol: 0 }).fit(Xn);
    ourErr = m.reconstructionErr;
  },
  { reps: small ? 3 : 2, minMs: 0, warmup: 0 },
);
const skNmf = runPython<{ t: number; err: number }>(
  `${PY_TIMER}
import numpy as np, warnings
warnings.filterwarnings('ignore')
from sklearn.decomposition import NMF
X = np.load(${JSON.stringify(join(dir, 'nmf.npy'))})
err = [0.0]
def f():
    m = NMF(n_components=50, solver='cd', init='nndsvda', max_iter=${nmfIter}, tol=0).fit(X)
    err[0] = float(m.reconstruction_err_)
t = bench(f, reps=${small ? 3 : 2}, min_ms=0, warmup=0)
print(json.dumps(dict(t=t, err=err[0])))
`,
);
rows.push({
  label: `NMF-50 (cd/HALS, NNDSVDa), ${nNmf} × 784, ${nmfIter} iterations`,
  ours: ourNmf.median,
  sk: skNmf?.t ?? null,
  check: `‖X − WH‖: ours ${ourErr.toFixed(2)}, sklearn ${skNmf ? skNmf.err.toFixed(2) : '–'}`,
});

// ---------------------------------------------------------------------------------------------
// MiniBatchDictionaryLearning: one epoch, 100 atoms, batches of 256, LARS
log(`MiniBatchDictionaryLearning on ${nDict} × 784 ...`);
let ourCost = 0;
const ourDict = timeIt(
  () => {
    const m = new MiniBatchDictionaryLearning({
      nComponents: 100,
      alpha: 1,
      batchSize: 256,
      maxIter: 1,
      tol: 0,
      maxNoImprovement: 1e9,
      shuffle: false,
    }).fit(Xd);
    const c = m.batchCosts;
    ourCost = c[c.length - 1]!;
  },
  { reps: small ? 2 : 1, minMs: 0, warmup: 0 },
);
const skDict = runPython<{ t: number; cost: number }>(
  `${PY_TIMER}
import numpy as np, warnings
warnings.filterwarnings('ignore')
from sklearn.decomposition import MiniBatchDictionaryLearning
X = np.load(${JSON.stringify(join(dir, 'dict.npy'))})
def f():
    MiniBatchDictionaryLearning(n_components=100, alpha=1, batch_size=256, max_iter=1, tol=0, max_no_improvement=None, shuffle=False, random_state=0).fit(X)
t = bench(f, reps=${small ? 2 : 1}, min_ms=0, warmup=0)
print(json.dumps(dict(t=t, cost=0)))
`,
);
rows.push({
  label: `MiniBatchDictionaryLearning, 100 atoms, 1 epoch of ${nDict} × 784 (batches of 256, LARS)`,
  ours: ourDict.median,
  sk: skDict?.t ?? null,
  check: `last batch cost ${ourCost.toFixed(2)}`,
});

// ---------------------------------------------------------------------------------------------
// Sparse coding over a fixed dictionary (the dictionary: 100 atoms = normalised digits).
const D = all.rowSlice(50000, 50100).clone() as Matrix<Float64Array>;
for (let j = 0; j < 100; j++) {
  let s = 0;
  for (let f = 0; f < 784; f++) s += D.get(j, f) ** 2;
  for (let f = 0; f < 784; f++) D.set(j, f, D.get(j, f) / Math.sqrt(s));
}
writeFileSync(join(dir, 'D.npy'), writeNpy(D));
const Xc = all.rowSlice(0, nCode).clone() as Matrix<Float64Array>;
writeFileSync(join(dir, 'code.npy'), writeNpy(Xc));
log(`sparse coding ${nCode} digits ...`);
const omp = timeIt(
  () =>
    void new SparseCoder({ dictionary: D, transformAlgorithm: 'omp', transformNNonzeroCoefs: 10 }).transform(
      Xc,
    ),
  { reps, minMs: 0 },
);
const lars = timeIt(
  () =>
    void new SparseCoder({ dictionary: D, transformAlgorithm: 'lasso_lars', transformAlpha: 1 }).transform(
      Xc,
    ),
  { reps, minMs: 0 },
);
const skCode = runPython<{ omp: number; lars: number }>(
  `${PY_TIMER}
import numpy as np, warnings
warnings.filterwarnings('ignore')
from sklearn.decomposition import SparseCoder
D = np.load(${JSON.stringify(join(dir, 'D.npy'))}); X = np.load(${JSON.stringify(join(dir, 'code.npy'))})
omp = bench(lambda: SparseCoder(dictionary=D, transform_algorithm='omp', transform_n_nonzero_coefs=10).transform(X), reps=${reps}, min_ms=0)
lars = bench(lambda: SparseCoder(dictionary=D, transform_algorithm='lasso_lars', transform_alpha=1).transform(X), reps=${reps}, min_ms=0)
print(json.dumps(dict(omp=omp, lars=lars)))
`,
);
rows.push({
  label: `SparseCoder OMP (K=10), ${nCode} digits, 100 atoms`,
  ours: omp.median,
  sk: skCode?.omp ?? null,
  check: 'support sets equal sklearn (tests)',
});
rows.push({
  label: `SparseCoder lasso-LARS (λ=1), ${nCode} digits, 100 atoms`,
  ours: lars.median,
  sk: skCode?.lars ?? null,
  check: 'codes equal sklearn (tests)',
});

rmSync(dir, { recursive: true, force: true });

const b = getBackend();
const md = `## Decomposition (PCA, NMF, dictionary learning, sparse coding)

Command: \`npx tsx bench/decomposition.ts${small ? ' --small' : ''}\`${small ? ' (smoke run: small sizes)' : ''}. Machine: ${machineInfo()}.
Kernels backend: ${b.description ?? b.name}. Medians of warm runs, ms (single runs for the slow ones). scikit-learn 1.2
from /usr/bin/python3 (numpy/OpenBLAS, 2 threads); ml-pca 4.x (\`method: 'covarianceMatrix'\`, its fastest path; one run).
Same data for everyone (MNIST training digits scaled to [0, 1]); NMF and dictionary learning run a fixed amount of
work (tol = 0) so the times compare the same iterations.

${mdTable(
  ['case', 'ours (ms)', 'scikit-learn (ms)', 'ml-pca (ms)', 'ours / sklearn', 'ml-pca / ours', 'check'],
  rows.map((r) => [
    r.label,
    fmt(r.ours),
    fmt(r.sk),
    r.ml === undefined ? '' : fmt(r.ml),
    r.sk ? `${(r.ours / r.sk).toFixed(2)}x` : '–',
    r.ml ? `${(r.ml / r.ours).toFixed(1)}x` : '',
    r.check,
  ]),
)}
`;
writeResults('decomposition', md);
