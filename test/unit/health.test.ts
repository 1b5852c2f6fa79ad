import assert from 'node:assert/strict';
import type { ClusterMember } from '../../lib/clients/patroni.ts';
import { healthProblems, type Observation } from '../../lib/cluster/health.ts';
import { leaderBeforeLastPromotion, type TimelineSwitch } from '../../lib/cluster/history.ts';

const member = (name: string, role: string, state = 'running', timeline = 2): ClusterMember => ({
  name,
  role,
  state,
  host: `192.168.56.1${name.slice(-1)}`,
  port: 5432,
  timeline,
});

const cluster = (members: ClusterMember[], streaming = ['node1', 'node2', 'node3']): Observation => {
  const leader = members.find((m) => m.role === 'leader');
  return { members, leader, streaming: streaming.filter((n) => n !== leader?.name) };
};

/**
 * The health every check starts from accepts each state the workbook teaches, and only those:
 * the cases are Patroni's own words for them (3.0.2 in Debian 12, and later versions).
 */
describe('cluster health: every healthy state the workbook teaches', () => {
  const healthy: [string, ClusterMember[]][] = [
    ['asynchronous, node1 leading', [member('node1', 'leader'), member('node2', 'replica'), member('node3', 'replica')]],
    ['any leader', [member('node1', 'replica'), member('node2', 'replica'), member('node3', 'leader')]],
    [
      'synchronous_mode (chapter 16): sync_standby',
      [member('node1', 'replica'), member('node2', 'leader'), member('node3', 'sync_standby')],
    ],
    [
      "Patroni 4's quorum mode: quorum_standby",
      [member('node1', 'quorum_standby'), member('node2', 'leader'), member('node3', 'quorum_standby')],
    ],
    [
      "Patroni ≥ 3.0.4's replica state 'streaming'",
      [member('node1', 'leader'), member('node2', 'replica', 'streaming'), member('node3', 'sync_standby', 'streaming')],
    ],
  ];
  for (const [name, members] of healthy) {
    it(`healthy: ${name}`, () => {
      assert.deepEqual(healthProblems(cluster(members)), []);
    });
  }

  it('not healthy: a replica that does not stream, or is stopped, or is on another timeline, or two leaders', () => {
    const base = [member('node1', 'leader'), member('node2', 'sync_standby'), member('node3', 'replica')];
    assert.deepEqual(healthProblems(cluster(base, ['node2'])), ['node3 is not streaming from node1']);
    assert.deepEqual(healthProblems(cluster([base[0], base[1], member('node3', 'replica', 'stopped')])), ['node3 is stopped']);
    assert.deepEqual(healthProblems(cluster([base[0], base[1], member('node3', 'replica', 'running', 1)])), [
      'node3 is on timeline 1, the leader on 2',
    ]);
    assert.match(healthProblems(cluster([base[0], base[1], member('node3', 'leader')])).join(), /2 leaders/);
    assert.deepEqual(healthProblems(cluster([base[0], base[1], member('node3', 'standby_leader')])), [
      'node3 has the role standby_leader',
    ]);
  });

  it('names the leader before the last promotion from the history, when the history names it', () => {
    const at = '2026-12-02T17:15:54.836405+00:00';
    const history: TimelineSwitch[] = [
      { timeline: 1, lsn: 1, reason: 'no recovery target specified', at, newLeader: 'node2' },
      { timeline: 2, lsn: 2, reason: 'no recovery target specified', at, newLeader: 'node3' },
    ];
    assert.equal(leaderBeforeLastPromotion(history), 'node2');
    assert.equal(leaderBeforeLastPromotion(history.slice(0, 1)), undefined, "timeline 1's leader is in no history line");
  });
});
