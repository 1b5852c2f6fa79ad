/**
 * The lab suite holds the lab's run lock for its whole run (mocha's global setup, loaded by
 * test/lab/.mocharc.json): a chapter or drill started meanwhile in another terminal waits, and the
 * commands the suite starts itself (`npm run chapter 7`, `npm run lab -- down`) inherit the lock
 * through WORKBOOK_LOCK_HELD. It is released when mocha exits.
 */
import { holdRunLock } from '../../lib/run-lock.ts';

export async function mochaGlobalSetup(): Promise<void> {
  const script = process.env.npm_lifecycle_event;
  await holdRunLock('lab', { command: script ? `npm run ${script}` : 'the lab suite (mocha --config test/lab/.mocharc.json)' });
}
