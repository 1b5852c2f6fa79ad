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
import { parseCommandLine, TARGET_OPTION, TARGET_USAGE, targetOf } from '../parse-args.ts';
import { holdRunLock } from '../run-lock.ts';
import { loadSecrets } from '../secrets.ts';
import { assertTargetIntended, openTarget, targetLine } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';
import { assertNpmKeptNothing } from './npm-args.ts';

const say = (line: string) => console.log(line);
const VERBS = ['list', 'start', 'hint', 'solve', 'status', 'done', 'walkthrough'] as const;
const USAGE = `usage: npm run exercise -- list | start <name> | hint <name> | solve <name> | status | done | walkthrough <name> [${TARGET_USAGE}]`;

/**
 * Commands that change or check the machines take the target's run lock; list, hint and status only
 * read the state file. `walkthrough` plays an exercise done by hand (what `npm run record -- --exercise` records).
 */
const TOUCHES_MACHINES = new Set(['start', 'solve', 'done', 'walkthrough']);

await main(async () => {
  assertNpmKeptNothing(['target'], ['target']);
  const { values, positionals } = parseCommandLine(process.argv.slice(2), TARGET_OPTION, USAGE);
  const chosen = targetOf(values);
  const [verb, name, ...rest] = positionals;
  if (!verb) throw new UsageError(`name a command. ${USAGE}`);
  if (!(VERBS as readonly string[]).includes(verb)) throw new UsageError(`unknown command ${verb}. ${USAGE}`);
  if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}. ${USAGE}`);
  if ((verb === 'start' || verb === 'walkthrough') && !name) throw new UsageError(`name the exercise to ${verb}. ${USAGE}`);
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
