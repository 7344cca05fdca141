/**
 * Assembles BENCHMARKS.md from the per-area results each bench writes to bench/results/<area>.md.
 * Run after the benches: `npx tsx bench/assemble.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const ORDER = ['kernels', 'linalg', 'cluster', 'decomposition', 'manifold', 'nn'];
const files = readdirSync('bench/results').filter((f) => f.endsWith('.md'));
files.sort((a, b) => {
  const ia = ORDER.indexOf(a.replace(/\.md$/, ''));
  const ib = ORDER.indexOf(b.replace(/\.md$/, ''));
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
});
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const head = `# Benchmarks

Every figure below comes from a script in \`bench/\`, run side by side with the peer in the same run
(medians of warm repetitions; ratios are what to quote). Each section names its command, the machine
and the date it was measured. Regenerate a section with its command, then \`npx tsx bench/assemble.ts\`.

Machine of the latest assembly: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
`;
const body = files.map((f) => readFileSync(`bench/results/${f}`, 'utf8').trim()).join('\n\n');
writeFileSync('BENCHMARKS.md', `${head}\n${body}\n`);
console.log(`BENCHMARKS.md: ${files.length} sections (${files.join(', ')})`);
