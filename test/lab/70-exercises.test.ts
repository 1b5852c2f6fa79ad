import assert from 'node:assert/strict';
import { healthProblems, observe, waitHealthy } from '../../lib/cluster/health.ts';
import { EXERCISES } from '../../lib/exercise/registry.ts';
import { readRunning } from '../../lib/exercise/state.ts';
import { walkExercise } from '../../lib/exercise/walk.ts';
import { npmRun } from './support.ts';

/**
 * Every fault exercise on the cluster the chapters built, in chapter order, through the npm
 * commands an attendee types: start → the chapter's check fails with the documented symptom →
 * solve → `done` (the check, green) → the cluster is healthy. Seconds are printed, never
 * asserted: they are the bench's (bench/exercise-times.ts).
 */
describe('lab: fault exercises', function () {
  this.timeout(600000);

  before(async () => {
    await waitHealthy(120000);
  });

  afterEach(async () => {
    // A failed walk leaves its fault in: repair it, so that the next exercise starts from a healthy cluster.
    const running = await readRunning('lab');
    if (running) {
      const solve = await npmRun('exercise', '--', 'solve', running.name);
      if (solve.code === 0) await npmRun('exercise', '--', 'done');
      else console.log(`      (solve ${running.name} failed: ${solve.output.trim().split('\n').at(-1)})`);
    }
  });

  for (const e of EXERCISES) {
    it(`${e.name} (chapter ${e.chapter}): start → check fails (${e.symptom.source.slice(0, 40)}…) → solve → green`, async () => {
      const { start, failing, solve, done } = await walkExercise(e, npmRun);
      assert.ok(start);
      assert.equal(start.code, 0, start.output);
      assert.match(start.output, /what users notice: /);
      assert.ok(failing);
      assert.notEqual(failing.code, 0, `npm run check ${e.chapter} passed with the fault in:\n${failing.output}`);
      assert.match(failing.output, e.symptom, 'the check failed, but not with the documented symptom');
      assert.ok(solve);
      assert.equal(solve.code, 0, solve.output);
      assert.ok(done);
      assert.equal(done.code, 0, done.output);
      assert.match(done.output, /done in /);
      assert.deepEqual(healthProblems(await observe()), [], 'the cluster is not healthy after the exercise');
      console.log(
        `      (start ${start.seconds.toFixed(0)} s, failing check ${failing.seconds.toFixed(0)} s, solve ${solve.seconds.toFixed(0)} s, done ${done.seconds.toFixed(0)} s)`,
      );
    });
  }
});
