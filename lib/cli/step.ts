import { resolve } from 'node:path';
import { CHAPTERS, stepPath } from '../chapters/registry.ts';
import { parseCommandLine, TARGET_OPTION, TARGET_USAGE, targetOf } from '../parse-args.ts';
import { holdRunLock } from '../run-lock.ts';
import { applyStep } from '../runner/apply.ts';
import { openTarget } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';

const USAGE = `usage: tsx lib/cli/step.ts <steps/NN-slug.ts | n> [${TARGET_USAGE}]`;

/**
 * One chapter's step and nothing else: no check, no catch-up. For the debugger: "Debug this
 * step" in .vscode/launch.json runs the step open in the editor through here, so breakpoints in
 * the step and in lib/ hit. `npm run chapter <n>` stays the way to apply a chapter.
 */
await main(async () => {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), TARGET_OPTION, USAGE);
  const target = targetOf(values).name;
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const given = positionals[0];
  const chapter = CHAPTERS.find((c) => String(c.number) === given || stepPath(c) === resolve(given));
  if (!chapter) {
    throw new UsageError(
      `${given} is not a chapter's step: open a file in steps/ (chapters ${CHAPTERS.map((c) => c.number).join(', ')})`,
    );
  }
  await holdRunLock(target);
  const t = await openTarget(target);
  console.log(`target: ${t.description}`);
  console.log(
    `▶ step of chapter ${chapter.number}: ${chapter.title}  (the step only; the check is \`npm run check ${chapter.number}\`)`,
  );
  if (chapter.number > 1) await t.assertUp();
  const started = Date.now();
  const run = await applyStep(chapter, t, (line) => console.log(line));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    run.changes.length ? `step made ${run.changes.length} change(s) in ${seconds} s` : `step: no change (${seconds} s)`,
  );
  return 0;
});
