import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { CHAPTERS } from '../../lib/chapters/registry.ts';
import { labDown } from '../../lib/lab/lab.ts';
import { applyStep } from '../../lib/runner/apply.ts';
import { firstFailingCheck } from '../../lib/runner/checks.ts';
import { openTarget, type Target, targetStateDir } from '../../lib/target.ts';
import { npmRun } from './support.ts';

const quiet = () => {};

/**
 * The whole workbook on a lab built from nothing: for every chapter the check must fail
 * before its step (or the chapter declares why it cannot), pass after it, and a second run of
 * the step must change nothing.
 */
describe('lab: every chapter, from nothing', () => {
  let target: Target;

  before(async () => {
    await labDown(quiet);
    await rm(targetStateDir('lab'), { recursive: true, force: true });
    target = await openTarget('lab');
  });

  for (const chapter of CHAPTERS) {
    describe(`chapter ${chapter.number}: ${chapter.title}`, () => {
      if (chapter.number === 6) {
        it('refuses to start while chapter 6 is missing, naming it and --catch-up', async () => {
          const { code, output } = await npmRun('chapter', '7');
          assert.notEqual(code, 0);
          assert.match(output, /needs chapter 6 \(Configure Patroni\)/);
          assert.match(output, /--catch-up/);
        });
      }

      it('check fails before the step', async function () {
        const failure = await firstFailingCheck([chapter], 'lab');
        if (chapter.labExemption) {
          console.log(`      exemption: ${chapter.labExemption}${failure ? '' : ' (check passed before the step)'}`);
          if (!failure) this.skip();
          return;
        }
        assert.ok(failure, `the check of chapter ${chapter.number} passed before its step: it proves nothing`);
      });

      it('step applies it', async () => {
        await applyStep(chapter, target, quiet);
      });

      it('check passes after the step', async () => {
        const failure = await firstFailingCheck([chapter], 'lab');
        assert.equal(failure, undefined, failure?.reason);
      });

      it('a second run of the step changes nothing', async () => {
        const started = Date.now();
        const { changes } = await applyStep(chapter, target, quiet);
        assert.deepEqual(changes, [], 'the step is not idempotent');
        console.log(`      (re-run: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      });
    });
  }

  describe('after the failover', () => {
    it('chapters 7–9 still check green with the new leader', async () => {
      const failure = await firstFailingCheck(
        CHAPTERS.filter((c) => c.number >= 7 && c.number <= 9),
        'lab',
      );
      assert.equal(failure, undefined, failure?.reason);
    });
  });
});
