import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { disruptive, workbook } from '../lib/check-context.ts';
import { etcdHealth, etcdHealthy, etcdMembers } from '../lib/clients/etcd.ts';
import { request } from '../lib/clients/http.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { appUser, waitHealthy } from '../lib/cluster/health.ts';
import { peerUrl } from '../lib/config/etcd.ts';
import { PATRONI_CONFIG } from '../lib/config/patroni.ts';
import { ETCD_NODE, ETCD_NODES, PORTS, POSTGRES_NODES } from '../lib/ip-plan.ts';

describe('chapter 11: a three-member etcd cluster', () => {
  it('lists etcdnode, etcdnode2 and etcdnode3 as started members with their peer URLs', async () => {
    const members = await etcdMembers();
    // This check exists to detect the three-member etcd: a one-member etcd is chapter 5's, which its check accepts.
    assert.deepEqual(
      members.map((m) => m.name).sort(),
      ETCD_NODES.map((n) => n.name).sort(),
      'etcd does not have the three members of chapter 11 (one member is healthy too, but that is chapter 5: run `npm run chapter 11`)',
    );
    for (const spec of ETCD_NODES) {
      assert.ok(
        members.some((m) => m.name === spec.name && m.peerURLs.includes(peerUrl(spec))),
        `${spec.name} should be started at ${peerUrl(spec)}`,
      );
    }
  });

  it('is healthy on every member', async () => {
    for (const spec of ETCD_NODES) {
      // A member that answers "not healthy" may be in the middle of a leader election (a second or
      // two, longer on a loaded machine): it gets a few seconds. A member that does not answer fails at once.
      await waitFor(
        `${spec.name} /health`,
        async () => {
          const health = await etcdHealth(spec.address);
          if (health === 'no answer') assert.fail(`${spec.name} /health: no answer from ${spec.address}:${PORTS.etcdClient}`);
          return health === 'healthy' ? true : undefined;
        },
        { timeoutMs: 10000 },
        () => 'it answered, but not healthy',
      );
    }
  });

  it("lists all three endpoints in every node's Patroni configuration", async () => {
    const { target } = await workbook();
    for (const node of POSTGRES_NODES) {
      const config = parse((await target.host(node.name).readFile(PATRONI_CONFIG)) ?? '') as { etcd3?: { hosts?: string } };
      for (const spec of ETCD_NODES) assert.match(String(config.etcd3?.hosts), new RegExp(`${spec.address}:2379`), node.name);
    }
  });

  it('still has one leader and streaming replicas', async () => {
    await waitHealthy(60000);
  });

  it('keeps working with one etcd member down (2 of 3 is a quorum)', async function () {
    disruptive(this);
    const { target, secrets } = await workbook();
    const down = target.host('etcdnode3');
    await down.services.stop('etcd');
    try {
      await waitFor('etcd to answer without etcdnode3', async () => ((await etcdHealthy()) ? true : undefined), {
        timeoutMs: 15000,
      });
      // A write needs the quorum: two of three members must agree.
      const put = await request(ETCD_NODE.address, PORTS.etcdClient, '/v3/kv/put', {
        method: 'POST',
        body: {
          key: Buffer.from('/workbook/check11').toString('base64'),
          value: Buffer.from(String(Date.now())).toString('base64'),
        },
      });
      assert.equal(put.status, 200, `etcd refused a write with etcdnode3 down: ${put.text}`);
      const [row] = await query<{ ok: boolean }>(appUser(secrets), 'select not pg_is_in_recovery() as ok');
      assert.equal(row.ok, true, 'port 5000 no longer reaches a writable leader');
      const cluster = await waitHealthy(30000);
      assert.ok(cluster.leader, 'no leader while etcdnode3 is down');
    } finally {
      await down.services.start('etcd');
    }
    await waitFor('etcdnode3 to be healthy again', async () => ((await etcdHealthy('192.168.56.23')) ? true : undefined), {
      timeoutMs: 30000,
    });
  });
});
