import { applyHaproxy } from '../lib/cluster/haproxy.ts';
import { waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 8: HAProxy sends port 5000 to whichever node Patroni's REST API calls the primary,
 * 5001 to the replicas, and shows its stats on 7000 (behind a password). The file is
 * validated before use.
 */
export default defineStep(async ({ host, secrets, say }) => {
  await applyHaproxy(host('haproxynode'), secrets);

  const { leader } = await waitHealthy();
  say(`waiting for HAProxy's health checks to mark only ${leader?.name} as UP…`);
  if (leader) await waitHaproxyOn(leader.name);
});
