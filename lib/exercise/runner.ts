import { fillPlaceholders } from '../byhand/run.ts';
import { chapter } from '../chapters/registry.ts';
import { firstFailingCheck, runChecks } from '../runner/checks.ts';
import type { Secrets } from '../secrets.ts';
import type { Target } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { hintLines } from './hints.ts';
import { EXERCISES, exercise } from './registry.ts';
import { clearRunning, elapsed, type Running, readRunning, saveRunning } from './state.ts';
import type { Exercise, ExerciseContext, FixCommand } from './types.ts';

export function contextFor(target: Target, secrets: Secrets, say: (line: string) => void): ExerciseContext {
  return { target, secrets, say, host: (name) => target.host(name) };
}

/** `list`: every exercise with its chapter, the running one marked. */
export async function listExercises(target: Target, say: (line: string) => void): Promise<void> {
  const running = await readRunning(target.name);
  for (const e of EXERCISES) {
    const mark = running?.name === e.name ? '▶' : ' ';
    say(`${mark} ${e.name.padEnd(22)} chapter ${String(e.chapter).padStart(2)}  ${e.title}`);
  }
  say(
    `${EXERCISES.length} exercises: \`npm run exercise -- start <name>\` breaks the cluster; \`hint\`, \`solve\`, \`status\`, \`done\` follow`,
  );
}

async function runningExercise(target: Target, name?: string): Promise<{ running: Running; e: Exercise }> {
  const running = await readRunning(target.name);
  if (!running) throw new UsageError('no exercise is running: `npm run exercise -- list`, then `start <name>`');
  if (name && name !== running.name)
    throw new UsageError(`the running exercise is ${running.name}, not ${name}: \`npm run exercise -- status\``);
  return { running, e: exercise(running.name) };
}

/**
 * `start`: refuses while another exercise runs, and unless the chapter's check passes first
 * (breaking a cluster that is already broken teaches nothing). It saves what it broke before
 * waiting for the fault to show, so that `solve` can repair even an interrupted start.
 */
export async function startExercise(name: string, ctx: ExerciseContext): Promise<void> {
  const e = exercise(name);
  const running = await readRunning(ctx.target.name);
  if (running)
    throw new UsageError(
      `exercise ${running.name} is running (for ${elapsed(running.started)}): \`npm run exercise -- solve ${running.name}\` or \`done\` first`,
    );
  const c = chapter(e.chapter);
  ctx.say(`checking chapter ${c.number} (${c.title}) before breaking anything…`);
  const failure = await firstFailingCheck([c], ctx.target.name, { prerequisite: true });
  if (failure)
    throw new UsageError(
      `chapter ${c.number}'s check fails before the exercise: ${failure.reason}\n  Make it green first (\`npm run chapter ${c.number} -- --catch-up\`), then start again.`,
    );
  const facts = await e.inject(ctx);
  await saveRunning(ctx.target.name, { name: e.name, started: new Date().toISOString(), facts, hintsShown: 0 });
  await e.visible?.(ctx, facts);
  ctx.say(`exercise ${e.name} started (chapter ${c.number}): something is wrong with the cluster.`);
  ctx.say(`  what users notice: ${e.notice(facts)}`);
  ctx.say(
    `  Diagnose it with chapter ${c.number}'s commands and fix it; \`npm run check ${c.number}\` is green when it is fixed, and \`npm run exercise -- done\` ends the exercise.`,
  );
  ctx.say(`  Stuck? \`npm run exercise -- hint ${e.name}\` (one more each time), or \`solve ${e.name}\`.`);
}

/** `hint`: one more hint each time, the earlier ones above it. */
export async function hintExercise(name: string | undefined, target: Target, say: (line: string) => void): Promise<void> {
  const { running, e } = await runningExercise(target, name);
  const { lines, shown } = hintLines(e, running.hintsShown);
  for (const line of lines) say(line);
  await saveRunning(target.name, { ...running, hintsShown: shown });
}

/** A fix command as the attendee types it: `node3$ sudo …`, the lines of a heredoc as they are (an indented EOF would not end it). */
export function showCommand(f: FixCommand): string {
  return `${f.host}$ ${f.command}`;
}

/**
 * `solve`: shows the fix, then runs exactly those commands on the machines, placeholders filled
 * (the secrets never printed), and waits until the cluster has recovered.
 */
export async function solveExercise(name: string | undefined, ctx: ExerciseContext): Promise<void> {
  const { running, e } = await runningExercise(ctx.target, name);
  const fix = e.fix(running.facts);
  const values = (await e.values?.(ctx, running.facts)) ?? {};
  ctx.say(`the fix of ${e.name} (chapter ${e.chapter}):`);
  for (const f of fix) {
    ctx.say(`  ${showCommand(f).replaceAll('\n', '\n  ')}`);
    const filled = fillPlaceholders(f.command, ctx.secrets).replace(/<([\w-]+)>/g, (whole, key: string) => values[key] ?? whole);
    const result = await ctx.host(f.host).run(filled, { check: false });
    // The filled command holds secrets: a failure names the command as shown, never as run.
    if (result.exitCode !== 0)
      throw new Error(
        `on ${f.host}: the fix exited with ${result.exitCode}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`,
      );
  }
  ctx.say('waiting for the cluster to recover…');
  await e.settle?.(ctx, running.facts);
  ctx.say(`fixed after ${elapsed(running.started)}: \`npm run exercise -- done\` proves it with chapter ${e.chapter}'s check`);
}

/** `done`: the chapter's check decides; green ends the exercise. */
export async function doneExercise(ctx: ExerciseContext): Promise<boolean> {
  const { running, e } = await runningExercise(ctx.target);
  const c = chapter(e.chapter);
  if (!(await runChecks([c], ctx.target.name))) {
    ctx.say(`chapter ${c.number}'s check still fails: exercise ${e.name} goes on (\`hint ${e.name}\`, \`solve ${e.name}\`)`);
    return false;
  }
  await clearRunning(ctx.target.name);
  ctx.say(`exercise ${e.name} done in ${elapsed(running.started)}, with ${running.hintsShown} of ${e.hints.length} hints`);
  return true;
}

/** `status`: which exercise runs, since when. */
export async function exerciseStatus(target: Target, say: (line: string) => void): Promise<void> {
  const running = await readRunning(target.name);
  if (!running) {
    say(`no exercise is running on ${target.name}`);
    return;
  }
  const e = exercise(running.name);
  say(
    `exercise ${e.name} (chapter ${e.chapter}: ${e.title}) running for ${elapsed(running.started)}, ${running.hintsShown} of ${e.hints.length} hints shown`,
  );
  say(`  what users notice: ${e.notice(running.facts)}`);
}
