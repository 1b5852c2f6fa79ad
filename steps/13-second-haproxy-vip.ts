import { waitFor } from '../lib/clients/wait.ts';
import { waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { applyPgbouncer } from '../lib/cluster/pgbouncer.ts';
import { privateInterface, vipHolders } from '../lib/cluster/vip.ts';
import { HAPROXY_CONFIG, renderHaproxyConfig } from '../lib/config/haproxy.ts';
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
  const configChanged = await second.writeFile(HAPROXY_CONFIG, renderHaproxyConfig({ secrets, node: HAPROXY_NODES[1] }), {
    group: 'haproxy',
    mode: '0640',
  });
  await second.query(`haproxy -c -q -f ${HAPROXY_CONFIG}`);
  if (configChanged && (await second.isRunning('haproxy'))) await second.reload('haproxy');
  else await second.start('haproxy');
  await second.enable('haproxy');
  const { leader } = await waitHealthy();
  if (leader) await waitHaproxyOn(leader.name, { address: HAPROXY_NODES[1].address });
  await applyPgbouncer(second, secrets);

  await Promise.all(HAPROXY_NODES.map((spec) => host(spec.name).install(FEATURE_PACKAGES.keepalived)));
  for (const spec of HAPROXY_NODES) {
    const node = host(spec.name);
    const scriptChanged = await node.writeFile(HAPROXY_CHECK_SCRIPT, HAPROXY_CHECK, { mode: '0755' });
    const iface = await privateInterface({ run: (c, o) => node.query(c, o), address: spec.address });
    const confChanged = await node.writeFile(KEEPALIVED_CONF, renderKeepalivedConf(spec, secrets, iface), { mode: '0600' });
    if ((scriptChanged || confChanged) && (await node.isRunning('keepalived'))) await node.reload('keepalived');
    else await node.start('keepalived');
    await node.enable('keepalived');
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
