import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { haproxyStats, serversOf } from '../lib/clients/haproxy.ts';
import { query } from '../lib/clients/sql.ts';
import { superuser, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { HAPROXY_NODE, PORTS, POSTGRES_NODES } from '../lib/ip-plan.ts';

describe('chapter 8: HAProxy routes clients to the leader', () => {
  let leaderName: string;

  before(async () => {
    await workbook(); // loads the secrets, which registers the stats page's password
    const rows = await haproxyStats(); // fails at once when HAProxy is not there
    assert.ok(serversOf(rows, 'primary').length > 0, 'the stats page has no "primary" listener');
    const { leader } = await waitHealthy(60000);
    assert.ok(leader);
    leaderName = leader.name;
    // HAProxy starts every server as UP until its checks fail: wait for the checks to settle.
    await waitHaproxyOn(leaderName);
  });

  it('shows the stats page with the three nodes in both listeners', async () => {
    const rows = await haproxyStats();
    for (const listener of ['primary', 'replicas']) {
      assert.deepEqual(
        serversOf(rows, listener)
          .map((r) => r.server)
          .sort(),
        POSTGRES_NODES.map((n) => n.name).sort(),
        listener,
      );
    }
  });

  it('marks exactly one server UP on port 5000: the Patroni leader', async () => {
    const up = serversOf(await haproxyStats(), 'primary').filter((r) => r.status === 'UP');
    assert.deepEqual(
      up.map((r) => r.server),
      [leaderName],
    );
  });

  it('lands a client on the leader through port 5000 (read-write)', async () => {
    const { secrets } = await workbook();
    const [row] = await query<{ addr: string; recovery: boolean }>(
      superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary),
      'select host(inet_server_addr()) as addr, pg_is_in_recovery() as recovery',
    );
    const leader = POSTGRES_NODES.find((n) => n.name === leaderName);
    assert.equal(row.addr, leader?.address);
    assert.equal(row.recovery, false);
  });

  it('lands a client on a replica through port 5001 (read-only)', async () => {
    const { secrets } = await workbook();
    const [row] = await query<{ recovery: boolean }>(
      superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyReplicas),
      'select pg_is_in_recovery() as recovery',
    );
    assert.equal(row.recovery, true);
  });
});
