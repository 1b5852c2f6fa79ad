import assert from 'node:assert/strict';
import { chapter } from '../../lib/chapters/registry.ts';
import { healthProblems, observe, waitHealthy } from '../../lib/cluster/health.ts';
import type { ClientPath, FaultName } from '../../lib/drill/options.ts';
import { settingsDifferences } from '../../lib/drill/profile.ts';
import type { DrillRecord } from '../../lib/drill/record.ts';
import { restoreGuideSettings, runDrill } from '../../lib/drill/run.ts';
import { addressOf } from '../../lib/ip-plan.ts';
import { applyStep } from '../../lib/runner/apply.ts';
import { loadSecrets, type Secrets } from '../../lib/secrets.ts';
import { openTarget, type Target } from '../../lib/target.ts';
import { npmRun } from './support.ts';

const quiet = () => {};

/**
 * The failover drills on the cluster chapter 01 built: faults on the fast profile, so the file
 * stays short. Assertions are about data and health, never about seconds: the seconds are the
 * bench's business (`npm run bench:failover`).
 */
describe('lab: failover drills', function () {
  this.timeout(240000);
  let target: Target;
  let secrets: Secrets;

  before(async () => {
    target = await openTarget('lab');
    await target.assertUp();
    secrets = await loadSecrets('lab');
    await waitHealthy(120000);
  });

  after(async () => {
    // Whatever failed above, leave the cluster as the chapters expect it.
    await restoreGuideSettings(target, secrets).catch((e: Error) => console.log(`      (restore failed: ${e.message})`));
  });

  async function drill(fault: FaultName, modes: { sync?: boolean; failsafe?: boolean; via?: ClientPath }): Promise<DrillRecord> {
    const record = await runDrill(
      {
        fault,
        profile: 'fast',
        sync: modes.sync ?? false,
        failsafe: modes.failsafe ?? false,
        keep: true,
        via: modes.via,
        target: 'lab',
      },
      target,
      secrets,
      quiet,
    );
    const m = record.metrics;
    console.log(
      `      (${record.slug}: ${record.oldLeader} → ${record.newLeader}, back after ${m.writesNeverStopped ? 'never stopped' : `${m.backAfterSeconds?.toFixed(1)} s`}, ${m.acknowledged} acked, ${record.lost.length} lost)`,
    );
    return record;
  }

  async function assertHealthyAfter(record: DrillRecord): Promise<void> {
    assert.ok(record.healthy, `the drill did not end healthy: ${record.notes.join('; ')}`);
    const now = await observe();
    assert.deepEqual(healthProblems(now), []);
    for (const victim of record.victims.filter((v) => v.startsWith('node')))
      assert.ok(
        now.leader?.name === victim || now.streaming.includes(victim),
        `${victim} did not come back as a streaming replica`,
      );
  }

  describe('synchronous_mode: no acknowledged write is lost', () => {
    for (const fault of ['crash', 'netcut', 'graceful', 'patroni-kill'] as const) {
      it(`${fault}: a replica takes over, every acknowledged write is on it, and the cluster heals`, async () => {
        const record = await drill(fault, { sync: true });
        assert.ok(record.metrics.acknowledged > 20, `only ${record.metrics.acknowledged} writes were acknowledged`);
        assert.notEqual(record.newLeader, record.oldLeader, 'the leadership did not move');
        assert.notEqual(record.metrics.backAfterSeconds, null, 'writes never succeeded again');
        assert.deepEqual(record.lost, [], `${record.lost.length} acknowledged writes lost`);
        await assertHealthyAfter(record);
      });
    }
  });

  it('with PgBouncer and the virtual IP in the path (chapters 12–13), a failover loses no acknowledged write', async () => {
    const record = await drill('graceful', { sync: true, via: 'pgbouncer-vip' });
    assert.ok(record.metrics.acknowledged > 20, `only ${record.metrics.acknowledged} writes were acknowledged`);
    assert.notEqual(record.newLeader, record.oldLeader, 'the leadership did not move');
    assert.notEqual(record.metrics.backAfterSeconds, null, 'writes never succeeded again through PgBouncer');
    assert.deepEqual(record.lost, [], `${record.lost.length} acknowledged writes lost`);
    await assertHealthyAfter(record);
  });

  describe('etcd down', () => {
    const during = (r: DrillRecord) => r.oldLeaderStates.filter((s) => s.at > r.marks.faultAt && s.at < (r.marks.healAt ?? 0));

    it('without failsafe_mode, the leader stops accepting writes: it demotes itself', async () => {
      const record = await drill('etcd-down', { failsafe: false });
      assert.ok(record.metrics.failingAtHeal, 'writes still succeeded when etcd came back after ttl + 5 s');
      const states = during(record);
      assert.ok(
        states.length > 0 && states.at(-1)?.state !== 'primary',
        `${record.oldLeader} was still a writable primary when etcd came back: ${JSON.stringify(states)}`,
      );
      assert.deepEqual(record.lost, []);
      await assertHealthyAfter(record);
    });

    it('with failsafe_mode, the leader keeps accepting writes while it reaches every member', async () => {
      const record = await drill('etcd-down', { failsafe: true });
      const { faultAt, healAt = 0 } = record.marks;
      const lateAcks = record.attempts.filter(
        (a) => a.ok && a.at > (faultAt + healAt) / 2 && a.at < healAt && a.detail === addressOf(record.oldLeader),
      );
      assert.ok(lateAcks.length > 0, 'no write was acknowledged by the leader in the second half of the outage');
      assert.equal(record.metrics.failingAtHeal, false, 'writes were failing when etcd came back');
      assert.ok(
        during(record).every((s) => s.state === 'primary'),
        `${record.oldLeader} stopped being a primary: ${JSON.stringify(during(record))}`,
      );
      assert.deepEqual(record.lost, []);
      await assertHealthyAfter(record);
    });
  });

  describe('afterwards', () => {
    it('puts the guide profile back, and chapters 6-8 then have nothing to change', async () => {
      await restoreGuideSettings(target, secrets);
      assert.deepEqual(await settingsDifferences(target), []);
      for (const n of [6, 7, 8]) {
        const { changes } = await applyStep(chapter(n), target, quiet);
        assert.deepEqual(changes, [], `chapter ${n}'s step would change something after the drills`);
      }
    });

    it('refuses, in one line, to drill a cluster that is not healthy', async () => {
      const replica = (await observe()).members?.find((m) => m.role !== 'leader')?.name;
      assert.ok(replica);
      const host = target.host(replica);
      await host.services.stop('patroni');
      try {
        const { code, output } = await npmRun('drill', '--', '--fault', 'crash', '--profile', 'fast');
        assert.equal(code, 1, output);
        const errors = output.split('\n').filter((l) => l.startsWith('error:'));
        assert.equal(errors.length, 1, output);
        assert.match(
          errors[0],
          /^error: the cluster is not healthy, so a drill would measure nothing useful: .*npm run chapter all/,
        );
        assert.doesNotMatch(output, /^\s+at /m, 'a stack trace was printed');
      } finally {
        await host.services.start('patroni');
        await waitHealthy(120000);
      }
      assert.deepEqual(await settingsDifferences(target), [], 'the refused drill changed the settings');
    });
  });
});
