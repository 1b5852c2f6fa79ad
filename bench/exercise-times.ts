/**
 * `npm run bench:exercises [-- name …]`: figures, not assertions. Walks every fault exercise (or
 * those named) on the running lab cluster as CI does (start → the chapter's check, failing →
 * solve → done) and prints the seconds of each phase; saves the table as
 * bench/results/exercises-<date>.md. The cluster must be built first (`npm run chapter all`).
 */
import { writeFile } from 'node:fs/promises';
import { parsedOrExit } from '../lib/cli/errors.ts';
import { waitHealthy } from '../lib/cluster/health.ts';
import { EXERCISES, exercise } from '../lib/exercise/registry.ts';
import { walkExercise } from '../lib/exercise/walk.ts';
import { parseCommandLine } from '../lib/parse-args.ts';
import { ROOT } from '../lib/paths.ts';
import { holdRunLock } from '../lib/run-lock.ts';
import { npmRun } from '../test/lab/support.ts';

const { positionals: names } = parsedOrExit(() =>
  parseCommandLine(process.argv.slice(2), {}, 'usage: npm run bench:exercises [-- name …]'),
);
const chosen = parsedOrExit(() => (names.length ? names.map((n) => exercise(n)) : EXERCISES));
await holdRunLock('lab');
await waitHealthy(120000);

const rows: string[] = [];
const fmt = (s?: number) => (s === undefined ? '—' : s.toFixed(1));
let failed = 0;
for (const e of chosen) {
  const walk = await walkExercise(e, npmRun);
  const ok = walk.done?.code === 0 && walk.failing?.code !== 0 && e.symptom.test(walk.failing?.output ?? '');
  if (!ok) failed++;
  const total = [walk.start, walk.solve, walk.done].reduce((sum, p) => sum + (p?.seconds ?? 0), 0);
  const row = `| ${e.name} | ${e.chapter} | ${fmt(walk.start?.seconds)} | ${fmt(walk.failing?.seconds)} | ${fmt(walk.solve?.seconds)} | ${fmt(walk.done?.seconds)} | ${fmt(total)} | ${ok ? 'yes' : 'NO'} |`;
  console.log(row);
  rows.push(row);
}

const date = new Date().toISOString().slice(0, 10);
const file = `${ROOT}/bench/results/exercises-${date}.md`;
await writeFile(
  file,
  `# Fault exercises on the lab, ${date}

Measured with \`npm run bench:exercises\` on the lab (${chosen.length} exercises, in order, on the
cluster \`npm run chapter all\` built). Seconds of machine time per phase, each an npm command
as an attendee types it: \`start\` (it runs the chapter's check first, then breaks the cluster),
the chapter's check failing with the documented symptom, \`solve\` (the fix applied, then the
wait until the cluster has recovered) and \`done\` (the check, green). *start→green* is start +
solve + done: the time an exercise costs when its fix is typed at once; a person diagnosing
adds the reading and typing.

| exercise | chapter | start | failing check | solve | done | start→green | as documented |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`,
);
console.log(`saved ${file}${failed ? `; ${failed} exercise(s) did not behave as documented` : ''}`);
process.exitCode = failed ? 1 : 0;
