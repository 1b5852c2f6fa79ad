/**
 * `npm run bench`: figures, not assertions. From a torn-down lab to a healthy cluster with
 * `chapter all`, the idempotent re-run of each chapter, and the lab's memory and disk.
 * Targets (issue 2): under 30 s to healthy with the guide's timings, re-runs under 3 s, memory under 300 MiB.
 */
import { readFile } from 'node:fs/promises';
import { CHAPTERS } from '../lib/chapters/registry.ts';
import { labDown } from '../lib/lab/lab.ts';
import { local } from '../lib/local.ts';
import { LAB_DIR } from '../lib/paths.ts';
import { holdRunLock } from '../lib/run-lock.ts';
import { applyStep } from '../lib/runner/apply.ts';
import { firstFailingCheck } from '../lib/runner/checks.ts';
import { openTarget } from '../lib/target.ts';

await holdRunLock('lab');
const quiet = () => {};
const seconds = (since: number) => (Date.now() - since) / 1000;

console.log('tearing the lab down to start from nothing…');
await labDown(quiet);
const target = await openTarget('lab');

const rows: { n: number; title: string; first: number; rerun: number; rerunWithCheck: number }[] = [];
const start = Date.now();
let healthyAfter = 0;
for (const chapter of CHAPTERS) {
  const t = Date.now();
  await applyStep(chapter, target, quiet);
  const first = seconds(t);
  if (chapter.number === 9) healthyAfter = seconds(start);
  rows.push({ n: chapter.number, title: chapter.title, first, rerun: 0, rerunWithCheck: 0 });
}
const total = seconds(start);
const failure = await firstFailingCheck(CHAPTERS, 'lab');
if (failure)
  throw new Error(`the cluster is not healthy after chapter all: chapter ${failure.chapter.number}: ${failure.reason}`);

for (const row of rows) {
  const chapter = CHAPTERS[row.n - 1];
  let t = Date.now();
  const { changes } = await applyStep(chapter, target, quiet);
  row.rerun = seconds(t);
  if (changes.length) console.log(`  note: chapter ${row.n} re-run changed ${changes.length} thing(s)`);
  t = Date.now();
  await firstFailingCheck([chapter], 'lab');
  row.rerunWithCheck = row.rerun + seconds(t);
}

async function labMemoryMiB(): Promise<number> {
  let kib = 0;
  for (const ns of (await local`ip netns list`)
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean)) {
    for (const pid of (await local`ip netns pids ${ns}`).split('\n').filter(Boolean)) {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
      kib += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    }
  }
  return kib / 1024;
}

const memory = await labMemoryMiB();
const disk = (await local`du -sm ${LAB_DIR}`).split('\t')[0];

console.log('\nchapter                             first run   re-run (step)   re-run + check');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(2)} ${r.title.padEnd(30)} ${r.first.toFixed(1).padStart(8)} s ${r.rerun.toFixed(2).padStart(12)} s ${r.rerunWithCheck.toFixed(1).padStart(14)} s`,
  );
}
console.log(
  `\ntorn-down lab → healthy cluster (chapters 1–9, steps): ${healthyAfter.toFixed(1)} s   (target < 30 s, guide timings)`,
);
console.log(`chapters 1–10 including the failover test:            ${total.toFixed(1)} s`);
console.log(
  `slowest idempotent re-run (step + check):            ${Math.max(...rows.map((r) => r.rerunWithCheck)).toFixed(1)} s   (target < 3 s)`,
);
console.log(`lab memory (PSS of every process in the lab):         ${memory.toFixed(0)} MiB   (target < 300 MiB)`);
console.log(`lab disk (${LAB_DIR}):              ${disk} MB`);
