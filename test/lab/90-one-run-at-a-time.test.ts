import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { observe, waitHealthy } from '../../lib/cluster/health.ts';
import { ROOT } from '../../lib/paths.ts';
import { readHolder } from '../../lib/run-lock.ts';
import { openTarget, type Target } from '../../lib/target.ts';
import { npmStart, ownLabLock, until } from './support.ts';

/**
 * One run at a time on the lab, with the real commands on the cluster the chapters built. The
 * suite itself holds the lab's lock (test/lab/hold-lock.ts); the runs here use a lock file of
 * their own (WORKBOOK_LAB_LOCK), so that they contend with each other exactly as two terminals
 * contend for /run/lock/ha-workbook-lab.lock.
 */
describe('lab: one run at a time', function () {
  this.timeout(600000);
  let target: Target;

  before(async () => {
    target = await openTarget('lab');
    await target.assertUp();
    await waitHealthy(120000);
  });

  it('two `npm run chapter 10` started together: one waits, saying for what, then both succeed', async () => {
    const lock = ownLabLock('chapter10');
    const first = npmStart(['chapter', '10'], lock);
    const second = npmStart(['chapter', '10'], lock);
    const [a, b] = await Promise.all([first.exited, second.exited]);
    const outputs = [first.output(), second.output()];
    assert.equal(a, 0, outputs[0]);
    assert.equal(b, 0, outputs[1]);
    const waited = outputs.filter((o) =>
      /waiting for npm run chapter 10 \(pid \d+, started \d\d:\d\d\) to finish; Ctrl-C to give up/.test(o),
    );
    assert.equal(waited.length, 1, `exactly one run should have waited:\n${outputs.join('\n-----\n')}`);
    assert.match(waited[0], /npm run chapter 10 has finished: going on/);
    for (const o of outputs) assert.match(o, /✔ chapter 10 done/);
    assert.equal(existsSync(lock.WORKBOOK_LAB_LOCK ?? ''), false, 'the lock file stayed after both runs');
    console.log(`      (${waited[0].split('\n').find((l) => l.startsWith('waiting for'))})`);
  });

  it('Ctrl-C in the middle of a chapter, then the same chapter again: it finishes, and the lock was released', async () => {
    const lock = ownLabLock('ctrl-c');
    // Something for the step to do: Patroni stopped on a replica, so chapter 7 starts it again.
    // node1 when it is a replica (after a failover): its step must then let it join, not wait for it to lead.
    const replicas = ((await observe()).members ?? []).filter((m) => m.role !== 'leader').map((m) => m.name);
    const replica = replicas.includes('node1') ? 'node1' : replicas[0];
    assert.ok(replica, 'no replica');
    await target.host(replica).services.stop('patroni');
    const interrupted = npmStart(['chapter', '7'], lock);
    await until(() => /▶ chapter 7/.test(interrupted.output()), 180000, 'chapter 7 to start its step');
    await until(() => readHolder(lock.WORKBOOK_LAB_LOCK ?? '') !== undefined, 10000, 'the run to hold the lock');
    interrupted.interrupt();
    const code = await interrupted.exited;
    assert.notEqual(code, 0, `the interrupted chapter exited 0:\n${interrupted.output()}`);
    assert.equal(existsSync(lock.WORKBOOK_LAB_LOCK ?? ''), false, 'Ctrl-C left the lock file behind');

    const again = npmStart(['chapter', '7'], lock);
    assert.equal(await again.exited, 0, again.output());
    assert.doesNotMatch(again.output(), /taking over/, 'the interrupted run did not release its lock');
    assert.match(again.output(), /✔ chapter 7 done/);
    await waitHealthy(120000);
  });

  it('WORKBOOK_LOCK_WAIT=no: `npm run lab -- down` refuses at once, in one line, while another run holds the lab', async () => {
    const lock = ownLabLock('refuse');
    const release = `${lock.WORKBOOK_LAB_LOCK}.release`;
    // A holder that lets go only when told: `lab down` must never find the lab free here.
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', `${ROOT}/test/support/lock-holder.ts`, 'lab', `until:${release}`],
      {
        cwd: ROOT,
        env: { ...process.env, ...lock, WORKBOOK_LOCK_HELD: '', LOCK_TEST_COMMAND: 'npm run drill -- --fault crash' },
        stdio: 'ignore',
      },
    );
    try {
      await until(() => readHolder(lock.WORKBOOK_LAB_LOCK ?? '')?.pid === holder.pid, 60000, 'the holder to take the lock');
      const refused = npmStart(['lab', '--', 'down'], { ...lock, WORKBOOK_LOCK_WAIT: 'no' });
      assert.equal(await refused.exited, 1, refused.output());
      assert.match(
        refused.output(),
        /^error: npm run drill -- --fault crash \(pid \d+, started \d\d:\d\d\) is using the lab: one run at a time\. Wait for it to finish, then run this again$/m,
      );
    } finally {
      writeFileSync(release, '');
      if (holder.exitCode === null && holder.signalCode === null) await new Promise((r) => holder.on('exit', r));
      rmSync(release, { force: true });
    }
    await target.assertUp();
  });
});
