import { waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { HAPROXY_CONFIG, renderHaproxyConfig } from '../lib/config/haproxy.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 8: HAProxy sends port 5000 to whichever node Patroni's REST API calls the primary,
 * 5001 to the replicas, and shows its stats on 7000 (behind a password). The file is
 * validated before use.
 */
export default defineStep(async ({ host, secrets, say }) => {
  const haproxy = host('haproxynode');
  // It holds the stats password: root and the haproxy group only.
  const configChanged = await haproxy.writeFile(HAPROXY_CONFIG, renderHaproxyConfig({ secrets }), {
    group: 'haproxy',
    mode: '0640',
  });
  await haproxy.query(`haproxy -c -q -f ${HAPROXY_CONFIG}`);
  if (configChanged && (await haproxy.isRunning('haproxy'))) await haproxy.reload('haproxy');
  else await haproxy.start('haproxy');
  await haproxy.enable('haproxy');

  const { leader } = await waitHealthy();
  say(`waiting for HAProxy's health checks to mark only ${leader?.name} as UP…`);
  if (leader) await waitHaproxyOn(leader.name);
});
