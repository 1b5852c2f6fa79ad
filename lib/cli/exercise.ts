import {
  contextFor,
  doneExercise,
  exerciseStatus,
  hintExercise,
  listExercises,
  solveExercise,
  startExercise,
} from '../exercise/runner.ts';
import { playWalkthrough } from '../exercise/walkthrough.ts';
import { holdRunLock } from '../run-lock.ts';
import { loadSecrets } from '../secrets.ts';
import { assertTargetIntended, type ChosenTarget, chosenTarget, openTarget, parseTargetName, targetLine } from '../target.ts';
import { main, UsageError } from './errors.ts';
import { assertNpmKeptNothing } from './npm-args.ts';

const say = (line: string) => console.log(line);
const USAGE =
  'npm run exercise -- list | start <name> | hint <name> | solve <name> | status | done   [-- --target lab|vagrant|ssh]';

/**
 * Commands that change or check the machines take the target's run lock; list, hint and status only
 * read the state file. `walkthrough` plays an exercise done by hand (what `npm run record -- --exercise` records).
 */
const TOUCHES_MACHINES = new Set(['start', 'solve', 'done', 'walkthrough']);

await main(async () => {
  assertNpmKeptNothing(['target'], ['target']);
  const argv = process.argv.slice(2);
  const t = argv.findIndex((a) => a === '--target' || a.startsWith('--target='));
  let chosen: ChosenTarget = chosenTarget();
  if (t >= 0) {
    const inline = argv[t].includes('=');
    chosen = { name: parseTargetName(inline ? argv[t].slice('--target='.length) : (argv[t + 1] ?? '')), source: '--target' };
    argv.splice(t, inline ? 1 : 2);
  }
  const [verb, name, ...rest] = argv;
  if (!verb || rest.length || !['list', 'start', 'hint', 'solve', 'status', 'done', 'walkthrough'].includes(verb))
    throw new UsageError(USAGE);
  if ((verb === 'start' || verb === 'walkthrough') && !name) throw new UsageError(`name the exercise to start: ${USAGE}`);
  assertTargetIntended(chosen);
  if (TOUCHES_MACHINES.has(verb)) await holdRunLock(chosen.name);
  const target = await openTarget(chosen.name);
  if (verb === 'list') return void (await listExercises(target, say));
  if (verb === 'status') return void (await exerciseStatus(target, say));
  if (verb === 'hint') return void (await hintExercise(name, target, say));
  say(targetLine(target, chosen.source));
  await target.assertUp();
  const ctx = contextFor(target, await loadSecrets(target.name), say);
  if (verb === 'start') await startExercise(name, ctx);
  else if (verb === 'solve') await solveExercise(name, ctx);
  else if (verb === 'walkthrough') return (await playWalkthrough(name, ctx)) ? 0 : 1;
  else return (await doneExercise(ctx)) ? 0 : 1;
  return 0;
});
