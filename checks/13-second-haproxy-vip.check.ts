import assert from 'node:assert/strict';
import { disruptive, workbook } from '../lib/check-context.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { APP, appViaPgbouncer, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { vipHolders } from '../lib/cluster/vip.ts';
import { addressOf, HAPROXY_NODES, PORTS, VIRTUAL_IP } from '../lib/ip-plan.ts';

describe('chapter 13: two HAProxy hosts behind the virtual IP 192.168.56.30', () => {
  const [first, second] = HAPROXY_NODES;
  const viaVip = (port: number, password: string) => ({
    host: VIRTUAL_IP,
    port,
    user: APP.user,
    password,
    database: APP.database,
  });

  async function holders(): Promise<string[]> {
    const { target } = await workbook();
    return vipHolders((name) => target.host(name));
  }

  it(`gives the virtual IP to ${first.name}, and only to it`, async () => {
    const { target } = await workbook();
    // Without keepalived on it, the address cannot come back: say so at once.
    assert.equal(await target.host(first.name).services.status('keepalived'), 'running', `keepalived on ${first.name}`);
    // A loaded machine can make one health-check run late: VRRP then moves the address for a few
    // seconds and brings it back. The check waits that out; an address that stays away fails it.
    let last: string[] = [];
    await waitFor(
      `${VIRTUAL_IP} on ${first.name} only`,
      async () => {
        last = await holders();
        return last.join() === first.name ? true : undefined;
      },
      { timeoutMs: 10000 },
      () => (last.length ? `held by ${last.join(' and ')}` : 'held by no host'),
    );
  });

  it('routes both HAProxy hosts to the leader', async () => {
    const { leader } = await waitHealthy();
    assert.ok(leader);
    for (const spec of HAPROXY_NODES) await waitHaproxyOn(leader.name, { address: spec.address });
  });

  it(`lands clients of ${VIRTUAL_IP}:5000 and of PgBouncer on ${VIRTUAL_IP}:6432 on the leader`, async () => {
    const { secrets } = await workbook();
    const { leader } = await waitHealthy();
    for (const client of [viaVip(PORTS.haproxyPrimary, secrets.app), appViaPgbouncer(secrets, VIRTUAL_IP)]) {
      const [row] = await query<{ addr: string }>(client, 'select host(inet_server_addr()) as addr');
      assert.equal(row.addr, leader && addressOf(leader.name), `through ${VIRTUAL_IP}:${client.port}`);
    }
  });

  it('runs keepalived enabled at boot on both hosts', async () => {
    const { target } = await workbook();
    for (const spec of HAPROXY_NODES) {
      assert.equal(await target.host(spec.name).services.isEnabled('keepalived'), true, spec.name);
      assert.equal(await target.host(spec.name).services.status('keepalived'), 'running', spec.name);
    }
  });

  it(`moves the virtual IP to ${second.name} when ${first.name}'s HAProxy stops, and clients reconnect`, async function () {
    disruptive(this);
    const { target, secrets } = await workbook();
    const haproxy = target.host(first.name);
    await haproxy.services.stop('haproxy');
    try {
      await waitFor(
        `${VIRTUAL_IP} on ${second.name}`,
        async () => ((await holders()).join() === second.name ? true : undefined),
        {
          timeoutMs: 15000,
          intervalMs: 250,
        },
      );
      const [row] = await waitFor(
        `a client to get through ${VIRTUAL_IP}:5000 again`,
        async () =>
          query<{ recovery: boolean }>(viaVip(PORTS.haproxyPrimary, secrets.app), 'select pg_is_in_recovery() as recovery').catch(
            () => undefined,
          ),
        { timeoutMs: 15000 },
      );
      assert.equal(row.recovery, false);
    } finally {
      await haproxy.services.start('haproxy');
    }
    await waitFor(
      `${VIRTUAL_IP} back on ${first.name}`,
      async () => ((await holders()).join() === first.name ? true : undefined),
      {
        timeoutMs: 15000,
      },
    );
  });
});
