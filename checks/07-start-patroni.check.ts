import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { patroniGet, REPLICA_ROLES } from '../lib/clients/patroni.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { describeCluster, type Observation, observe, superuser, waitHealthy } from '../lib/cluster/health.ts';
import { POSTGRES_NODES } from '../lib/ip-plan.ts';

describe('chapter 7: Patroni runs the cluster', () => {
  let cluster: Observation;

  before(async () => {
    cluster = await waitHealthy(60000);
  });

  it('has exactly one leader and two replicas', () => {
    // A replica is `replica`, or `sync_standby` / `quorum_standby` with synchronous_mode on (chapter 16).
    const roles = cluster.members?.map((m) => (REPLICA_ROLES.includes(m.role) ? 'replica' : m.role)).sort();
    assert.deepEqual(roles, ['leader', 'replica', 'replica'], describeCluster(cluster));
  });

  it('streams to both replicas from the leader', () => {
    const replicas = cluster.members
      ?.filter((m) => m.role !== 'leader')
      .map((m) => m.name)
      .sort();
    assert.deepEqual([...cluster.streaming].sort(), replicas, describeCluster(cluster));
  });

  it('trusts nobody: every pg_hba rule asks for peer, scram-sha-256 or rejects', async () => {
    const { secrets } = await workbook();
    const leader = POSTGRES_NODES.find((n) => n.name === cluster.leader?.name);
    assert.ok(leader, describeCluster(cluster));
    const rules = await query<{ line_number: number; type: string; auth_method: string }>(
      superuser(secrets, leader.address),
      'select line_number, type, auth_method from pg_hba_file_rules',
    );
    const weak = rules.filter((r) => !['peer', 'scram-sha-256', 'reject'].includes(r.auth_method));
    assert.deepEqual(weak, [], `pg_hba.conf on ${leader.name} has rules that do not ask for a password`);
  });

  it('answers GET /primary with 200 on the leader only, GET /replica on the replicas only', async () => {
    // Each node answers from its own state, the cluster view from the last HA loop: right after a
    // switchover (chapter 12) the two can disagree for a loop or two, so both are read again until
    // they agree; a node that answers wrongly for a whole minute fails.
    let wrong: string[] = [];
    await waitFor(
      'the REST health endpoints to agree with the cluster view',
      async () => {
        const now = await observe();
        wrong = [];
        for (const node of POSTGRES_NODES) {
          const isLeader = node.name === now.leader?.name;
          const primary = (await patroniGet(node.address, '/primary')).status;
          const replica = (await patroniGet(node.address, '/replica')).status;
          if (primary !== (isLeader ? 200 : 503)) wrong.push(`/primary on ${node.name}: ${primary}, leader ${now.leader?.name}`);
          if (replica !== (isLeader ? 503 : 200)) wrong.push(`/replica on ${node.name}: ${replica}, leader ${now.leader?.name}`);
        }
        return wrong.length === 0 ? true : undefined;
      },
      { timeoutMs: 60000, intervalMs: 2000 },
      () => wrong.join('; '),
    );
  });

  it('has one system identifier and one timeline on all nodes, recovery only on replicas (SQL over scram)', async () => {
    const { secrets } = await workbook();
    const seen: { name: string; id: string; tl: number; recovery: boolean }[] = [];
    for (const node of POSTGRES_NODES) {
      const [row] = await query<{ id: string; tl: number; recovery: boolean }>(
        superuser(secrets, node.address),
        'select system_identifier::text as id, (select timeline_id from pg_control_checkpoint()) as tl, pg_is_in_recovery() as recovery from pg_control_system()',
      );
      seen.push({ name: node.name, ...row });
    }
    assert.equal(new Set(seen.map((s) => s.id)).size, 1, `system identifiers differ: ${JSON.stringify(seen)}`);
    for (const s of seen) assert.equal(s.recovery, s.name !== cluster.leader?.name, `${s.name} recovery=${s.recovery}`);
    const timelines = new Set(cluster.members?.map((m) => m.timeline));
    assert.equal(timelines.size, 1, describeCluster(cluster));
  });
});
