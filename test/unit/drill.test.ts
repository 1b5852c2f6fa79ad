import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { failoverOfDrill, parseFailoverRecord } from '../../lib/cluster/failover-record.ts';
import type { Attempt } from '../../lib/cluster/writer.ts';
import { analyzeDrill } from '../../lib/drill/analyze.ts';
import { renderDrillChart } from '../../lib/drill/chart.ts';
import { drillSlug, FAULT_NAMES, parseDrillArgs } from '../../lib/drill/options.ts';
import { configPatch, GUIDE_SETTINGS } from '../../lib/drill/profile.ts';
import type { DrillRecord } from '../../lib/drill/record.ts';
import { ROOT } from '../../lib/paths.ts';

const run = promisify(execFile);
const OLD = '192.168.56.11';
const NEW = '192.168.56.12';

/** A writer's attempts, one every 100 ms from `from` ms: `pattern` is o (acked by the old leader), n (new leader) or x (failed). */
function attempts(pattern: string, from = 0): Attempt[] {
  return [...pattern].map((c, i) => ({
    id: i + 1,
    at: from + i * 100,
    ok: c !== 'x',
    detail: c === 'o' ? OLD : c === 'n' ? NEW : 'Connection terminated unexpectedly',
    ms: c === 'x' ? 2000 : 3,
  }));
}

describe('failover drill', () => {
  describe('command line', () => {
    it('parses a fault, a profile and the modes', () => {
      const o = parseDrillArgs(['--fault', 'crash', '--profile=fast', '--sync', '--failsafe', '--keep', '--hold', '20']);
      assert.deepEqual([o.fault, o.profile, o.sync, o.failsafe, o.keep, o.holdSeconds], ['crash', 'fast', true, true, true, 20]);
      assert.equal(parseDrillArgs(['--fault', 'netcut']).profile, 'guide');
      assert.equal(drillSlug(o), 'crash-fast-sync-failsafe');
    });

    for (const [argv, message] of [
      [
        ['--fault', 'meteor'],
        /^unknown fault "meteor": choose one of graceful, crash, patroni-kill, netcut, etcd-down, replica-down$/,
      ],
      [[], /^--fault is required: choose one of graceful, crash/],
      [['--fault', 'crash', '--profile', 'turbo'], /^unknown profile "turbo": choose one of guide, fast$/],
      [['--fault', 'crash', '--hold=-3'], /^--hold takes seconds/],
      [['--fault', 'crash', '--hold'], /^--hold needs a value\. usage: npm run drill/],
      [['--fault', 'crash', '--frobnicate'], /^unknown option --frobnicate\. usage: npm run drill/],
    ] as const) {
      it(`rejects ${argv.join(' ') || 'nothing'} in one line listing the choices`, () => {
        assert.throws(
          () => parseDrillArgs(argv),
          (e: Error) => message.test(e.message) && !e.message.includes('\n'),
        );
      });
    }

    it('prints one line and exits 1 on an unknown fault, before touching any machine', async () => {
      const result = await run('node', ['--import', 'tsx', `${ROOT}/lib/cli/drill.ts`, '--fault', 'meteor'], { cwd: ROOT }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(result.code, 1);
      assert.equal(result.stderr.trim(), `error: unknown fault "meteor": choose one of ${FAULT_NAMES.join(', ')}`);
    });
  });

  describe('profiles', () => {
    it('patches only what differs, and removes the modes instead of setting them false', () => {
      const guide = { ttl: 30, loop_wait: 10, retry_timeout: 10, maximum_lag_on_failover: 1048576 };
      assert.equal(configPatch(guide, GUIDE_SETTINGS), undefined);
      assert.deepEqual(configPatch(guide, { profile: 'fast', sync: true, failsafe: false }), {
        ttl: 10,
        loop_wait: 2,
        retry_timeout: 3,
        synchronous_mode: true,
      });
      assert.deepEqual(configPatch({ ...guide, synchronous_mode: true, failsafe_mode: true }, GUIDE_SETTINGS), {
        synchronous_mode: null,
        failsafe_mode: null,
      });
    });

    it("keeps the fast profile within Patroni's rule loop_wait + 2 * retry_timeout <= ttl", () => {
      const patch = configPatch({}, { profile: 'fast', sync: false, failsafe: false }) as Record<string, number>;
      assert.ok(patch.loop_wait + 2 * patch.retry_timeout <= patch.ttl);
    });
  });

  describe('figures', () => {
    it('measures back-after from the fault to the first write after the outage, and the split-brain window', () => {
      // Fault at 1000 ms; the old leader acks two more writes, then 10 failures, then the new leader.
      const a = attempts('oooooooooooo' + 'xxxxxxxxxx' + 'nnnnn');
      const m = analyzeDrill(a, { faultAt: 1000, promotedAt: 2100, healAt: 2500 }, OLD, true);
      assert.equal(m.backAfterSeconds, 1.2);
      assert.equal(m.writesDownSeconds, 1);
      assert.equal(m.oldLeaderAcksAfterFault, 2);
      assert.equal(m.splitBrainWindowSeconds, 0.1);
      assert.equal(m.oldLeaderAcksAfterPromotion, 0);
      assert.equal(m.writesNeverStopped, false);
      assert.equal(m.failingAtHeal, false);
    });

    it('says when writes never stopped, and when they were still failing at the heal', () => {
      const calm = analyzeDrill(attempts('oooooooooo'), { faultAt: 300, healAt: 800 }, OLD, false);
      assert.deepEqual([calm.writesNeverStopped, calm.backAfterSeconds, calm.splitBrainWindowSeconds], [true, 0, null]);
      const down = analyzeDrill(attempts('oooxxxxxxxoo'), { faultAt: 200, healAt: 800 }, OLD, false);
      assert.deepEqual([down.failingAtHeal, down.backAfterSeconds], [true, 0.8]);
      const never = analyzeDrill(attempts('oooxxxx'), { faultAt: 200, healAt: 500 }, OLD, false);
      assert.equal(never.backAfterSeconds, null);
    });

    it('counts the time an old primary answered as writable after the promotion', () => {
      const m = analyzeDrill(attempts('ooooxxxxnn'), { faultAt: 200, promotedAt: 700 }, OLD, true, [
        { at: 0, state: 'primary' },
        { at: 1100, state: 'read-only' },
      ]);
      assert.equal(m.oldPrimaryWritableSeconds, 0.9);
      assert.equal(m.twoPrimariesSeconds, 0.4);
    });
  });

  // A drill's record, as chapter 16's step and `npm run drill` save it.
  const a = attempts('oooooooooooo' + 'xxxxxxxxxx' + 'nnnnn');
  const marks = { faultAt: 1000, promotedAt: 2100, healAt: 2500, healthyAt: 2600 };
  const record: DrillRecord = {
    version: 1,
    slug: 'crash-fast-sync',
    target: 'lab',
    startedAt: '2026-01-01T00:00:00.000Z',
    options: { fault: 'crash', profile: 'fast', sync: true, failsafe: false, keep: false },
    what: 'kill -9 <everything> & more',
    victims: ['node1'],
    timings: { ttl: 10, loopWait: 2, retryTimeout: 3, haproxy: { inter: '1s', fall: 2, rise: 1 } },
    oldLeader: 'node1',
    newLeader: 'node2',
    timelineBefore: 2,
    timelineAfter: 3,
    marks,
    table: 'drill_writes',
    metrics: analyzeDrill(a, marks, OLD, true),
    lost: [],
    attempts: a,
    leaderChanges: [{ at: 0, leader: 'node1', timeline: 2 }, { at: 1500 }, { at: 2100, leader: 'node2', timeline: 3 }],
    oldLeaderStates: [],
    healthy: true,
    restored: true,
    notes: [],
  };

  describe('chart', () => {
    const svg = renderDrillChart(record);

    it('is one self-contained SVG with a title and a description', () => {
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
      assert.match(svg, /<title id="t">Failover drill: crash · fast profile · synchronous_mode<\/title>/);
      assert.doesNotMatch(svg, /<script|href=|@import|url\(/);
      assert.match(svg, /kill -9 &lt;everything&gt; &amp; more/, 'text is escaped');
    });

    it('draws every attempt, the outage and the marks', () => {
      assert.equal((svg.match(new RegExp(`fill="${'#dc2626'}"/>`, 'g')) ?? []).length, 10 + 1, 'ten failed ticks and the legend');
      for (const label of ['fault +0.0 s', 'new leader +1.1 s', 'writes back +1.2 s', 'healed +1.5 s', 'healthy +1.6 s'])
        assert.ok(svg.includes(label), `no mark "${label}"`);
      assert.match(svg, /writes back after 1\.2 s · 0 acknowledged writes lost/);
      assert.match(svg, /10 failed writes, 1\.0 s/);
    });
  });

  describe('one failover record for chapters 10, 12 and 16', () => {
    const path = '/state/lab/reliability-drill.json';
    it("reads chapter 16's file as written before (a whole drill record), and as written now", () => {
      const old = parseFailoverRecord(JSON.stringify(record), path);
      assert.deepEqual(
        [old.at, old.oldLeader, old.newLeader, old.table, old.failedWrites, old.backAfterSeconds, old.lost],
        ['2026-01-01T00:00:00.000Z', 'node1', 'node2', 'drill_writes', 10, 1.2, []],
      );
      assert.equal(old.acknowledged.length, a.length - 10);
      const now = failoverOfDrill(record, '/state/lab/drills/x.json');
      assert.deepEqual(parseFailoverRecord(JSON.stringify(now), path), now);
      assert.equal(now.drill, '/state/lab/drills/x.json');
    });

    it("reads chapter 10's and 12's files as they were written", () => {
      const ch10 = {
        at: '2026-12-02T17:27:02.913Z',
        oldLeader: 'node1',
        newLeader: 'node2',
        table: 'failover_test',
        acknowledged: [1, 2, 3],
        failedWrites: 4,
        backAfterSeconds: 3.2,
        lost: [],
      };
      assert.deepEqual(parseFailoverRecord(JSON.stringify(ch10), path), ch10);
    });

    for (const [text, message] of [
      [
        '{',
        /^\/state\/lab\/reliability-drill\.json is not readable JSON: delete it, and the chapter's step measures a new failover$/,
      ],
      ['{"at":"x"}', /^\/state\/lab\/reliability-drill\.json is not a failover record: delete it, and the chapter's step/],
      ['null', /is not a failover record/],
    ] as const) {
      it(`says in one line what to do with ${text}`, () => {
        assert.throws(
          () => parseFailoverRecord(text, path),
          (e: Error) => message.test(e.message),
        );
      });
    }
  });
});
