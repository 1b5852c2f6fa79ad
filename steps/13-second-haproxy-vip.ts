import { waitFor } from '../lib/clients/wait.ts';
import { applyHaproxy } from '../lib/cluster/haproxy.ts';
import { waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { applyPgbouncer } from '../lib/cluster/pgbouncer.ts';
import { privateInterface, vipHolders } from '../lib/cluster/vip.ts';
import { HAPROXY_CHECK, HAPROXY_CHECK_SCRIPT, KEEPALIVED_CONF, renderKeepalivedConf } from '../lib/config/keepalived.ts';
import { HAPROXY_NODES, VIRTUAL_IP } from '../lib/ip-plan.ts';
import { FEATURE_PACKAGES, ROLE_PACKAGES } from '../lib/packages.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 13: a second HAProxy (with its own PgBouncer) on haproxynode2, and keepalived on
 * both HAProxy hosts so that clients use one address, 192.168.56.30, that moves to whichever
 * host has a live HAProxy.
 */
export default defineStep(async ({ target, host, secrets, say, changed }) => {
  for (const change of await target.addHosts(['haproxynode2'], say)) changed(target.name, change);

  const second = host('haproxynode2');
  await second.install(ROLE_PACKAGES.haproxy);
  await applyHaproxy(second, secrets, HAPROXY_NODES[1]);
  const { leader } = await waitHealthy();
  if (leader) await waitHaproxyOn(leader.name, { address: HAPROXY_NODES[1].address });
  await applyPgbouncer(second, secrets);

  await Promise.all(HAPROXY_NODES.map((spec) => host(spec.name).install(FEATURE_PACKAGES.keepalived)));
  for (const spec of HAPROXY_NODES) {
    const node = host(spec.name);
    const iface = await privateInterface({ run: (c, o) => node.query(c, o), address: spec.address });
    await node.configure('keepalived', [
      { path: HAPROXY_CHECK_SCRIPT, content: HAPROXY_CHECK, options: { mode: '0755' } },
      { path: KEEPALIVED_CONF, content: renderKeepalivedConf(spec, secrets, iface), options: { mode: '0600' } },
    ]);
  }
  say(`waiting for ${VIRTUAL_IP} to settle on ${HAPROXY_NODES[0].name}…`);
  await waitFor(
    `${VIRTUAL_IP} on ${HAPROXY_NODES[0].name} only`,
    async () => {
      const holders = await vipHolders((name) => target.host(name));
      return holders.length === 1 && holders[0] === HAPROXY_NODES[0].name ? true : undefined;
    },
    { timeoutMs: 20000 },
  );
});
