import { applyByHand } from '../byhand/run.ts';
import { NoLabError } from '../lab/safety.ts';
import { holdRunLock } from '../run-lock.ts';
import type { ChapterOutcome } from '../runner/apply.ts';
import { applyChapter, chaptersToApply } from '../runner/apply.ts';
import { parseChapterArgs } from '../runner/args.ts';
import { runChecks } from '../runner/checks.ts';
import { assertTargetIntended, openTarget, targetLine } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';
import { assertNpmKeptNothing } from './npm-args.ts';

const say = (line: string) => console.log(line);

await main(async () => {
  assertNpmKeptNothing(['catch-up', 'target', 'by-hand'], ['target']);
  const args = parseChapterArgs(process.argv.slice(2));
  assertTargetIntended({ name: args.target, source: args.targetSource });
  await holdRunLock(args.target);
  const target = await openTarget(args.target);
  say(targetLine(target, args.targetSource));
  if (args.mode === 'check') {
    if (args.chapters.some((c) => c.number > 1)) await target.assertUp();
    return (await runChecks(args.chapters, target.name)) ? 0 : 1;
  }
  // Machines that are down (a halted VM, a lab torn down) are named first, with the command that
  // starts them, rather than reported as "chapter 1 is not done". --catch-up brings them up itself.
  if (!args.all && !args.catchUp && args.chapters[0].number > 1) {
    const n = args.chapters[0].number;
    await target.assertUp().catch((error: Error) => {
      if (!(error instanceof NoLabError)) throw error;
      throw new UsageError(
        `there is no lab on this machine yet: \`npm run chapter ${n} -- --catch-up\` makes it and applies chapters 1–${n - 1} first (or start with \`npm run chapter 1\`)`,
      );
    });
  }
  const plan = args.all ? args.chapters : await chaptersToApply(args.chapters[0], target, args.catchUp, say);
  const outcomes: ChapterOutcome[] = [];
  for (const chapter of plan) {
    const outcome = args.byHand ? await applyByHand(chapter, target, say) : await applyChapter(chapter, target, say);
    outcomes.push(outcome);
    if (!outcome.passed) break;
  }
  if (outcomes.length > 1) {
    say('\nsummary');
    for (const o of outcomes) {
      say(
        `  ${o.passed ? '✔' : '✘'} ${String(o.chapter.number).padStart(2)} ${o.chapter.title.padEnd(28)} ${String(o.changes).padStart(3)} changes  ${o.seconds.toFixed(1).padStart(5)} s`,
      );
    }
    const total = (f: (o: ChapterOutcome) => number) => outcomes.reduce((sum, o) => sum + f(o), 0);
    say(
      `  ${outcomes.filter((o) => o.passed).length} of ${plan.length} chapters done, ${total((o) => o.changes)} changes, ${total((o) => o.seconds).toFixed(1)} s` +
        (outcomes.length < plan.length ? `; stopped at chapter ${outcomes[outcomes.length - 1].chapter.number}` : ''),
    );
  }
  return outcomes.length === plan.length && outcomes.every((o) => o.passed) ? 0 : 1;
});
