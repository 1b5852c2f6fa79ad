import { CHAPTERS, type Chapter, chapterBase, stepPath } from '../chapters/registry.ts';
import { loadSecrets } from '../secrets.ts';
import { runStep, type Step, type StepRun } from '../step.ts';
import type { Target } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { firstFailingCheck, runChecks } from './checks.ts';

export type Say = (line: string) => void;

export interface ChapterOutcome {
  chapter: Chapter;
  changes: number;
  passed: boolean;
  seconds: number;
}

export async function loadStep(chapter: Chapter): Promise<Step> {
  const module = (await import(stepPath(chapter))) as { default?: Step };
  if (typeof module.default !== 'function') throw new Error(`${stepPath(chapter)} has no default export made with defineStep`);
  return module.default;
}

/** Applies one chapter's step (no checks). */
export async function applyStep(chapter: Chapter, target: Target, say: Say): Promise<StepRun> {
  const step = await loadStep(chapter);
  const secrets = await loadSecrets(target.name);
  return runStep(step, target, secrets, say);
}

/**
 * Progress lines with the seconds since the chapter started in front ("  +4.2s   node1: started
 * patroni"): plain lines, no carriage returns or cursor tricks, so a CI log without a TTY reads
 * the same as a terminal and shows where the time went.
 */
function withElapsed(say: Say, started: number): Say {
  return (line) => {
    const stamp = `+${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(8);
    say(
      line
        .split('\n')
        .map((l) => (l.trim() ? `${stamp} ${l}` : l))
        .join('\n'),
    );
  };
}

/** Step, then check. */
export async function applyChapter(chapter: Chapter, target: Target, say: Say): Promise<ChapterOutcome> {
  const started = Date.now();
  say(`\n▶ chapter ${chapter.number}: ${chapter.title}  (target: ${target.name})`);
  const progress = withElapsed(say, started);
  if (chapter.number > 1) await target.assertUp();
  const run = await applyStep(chapter, target, progress);
  progress(run.changes.length ? `  step made ${run.changes.length} change(s)` : '  step: no change (already applied)');
  progress(`  checking chapter ${chapter.number}…`);
  const passed = await runChecks([chapter], target.name);
  const seconds = (Date.now() - started) / 1000;
  say(
    passed
      ? `✔ chapter ${chapter.number} done in ${seconds.toFixed(1)} s`
      : `✘ chapter ${chapter.number}: the check failed. Read the messages above, then chapters/${chapterBase(chapter)}.md#troubleshooting`,
  );
  return { chapter, changes: run.changes.length, passed, seconds };
}

/**
 * Which earlier chapters must be applied before this one: none when their checks all pass.
 * Without catch-up a missing chapter is an error that names it and the way forward.
 */
export async function chaptersToApply(chapter: Chapter, target: Target, catchUp: boolean, say: Say): Promise<Chapter[]> {
  const earlier = CHAPTERS.filter((c) => c.number < chapter.number);
  if (earlier.length === 0) return [chapter];
  say(earlier.length === 1 ? 'checking that chapter 1 is done…' : `checking that chapters 1–${chapter.number - 1} are done…`);
  const failure = await firstFailingCheck(earlier, target.name, { prerequisite: true });
  if (!failure) return [chapter];
  const missing = failure.chapter;
  if (!catchUp) {
    throw new UsageError(
      `chapter ${chapter.number} needs chapter ${missing.number} (${missing.title}) first: its check fails (${failure.reason}). ` +
        `Run \`npm run chapter ${missing.number}\`, or \`npm run chapter ${chapter.number} -- --catch-up\` to apply chapters ${missing.number}–${chapter.number - 1} first.`,
    );
  }
  say(`catching up: chapter ${missing.number} is not done (${failure.reason})`);
  return CHAPTERS.filter((c) => c.number >= missing.number && c.number <= chapter.number);
}
