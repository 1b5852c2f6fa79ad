import { patroniGet } from '../lib/clients/patroni.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { waitHealthy } from '../lib/cluster/health.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 7: start Patroni. The first node to take the leader key in etcd runs initdb and
 * becomes the primary; the others clone it with pg_basebackup and stream from it. Starting
 * node1 first and waiting for it makes node1 the first leader, as in the guide.
 */
export default defineStep(async ({ nodes, say }) => {
  const [first, ...others] = nodes;
  // A cluster that already runs (node1's Patroni stopped after a failover, or a run interrupted
  // with Ctrl-C) has its leader elsewhere: node1 then joins as a replica, and nobody waits for it to lead.
  const leader = await runningLeader(nodes);
  if (await first.start('patroni')) {
    if (leader && leader.name !== first.name) {
      say(`${first.name} joins the running cluster as a replica (the leader is ${leader.name})`);
    } else {
      say(`waiting for ${first.name} to initialise the cluster and take the leader lock…`);
      await waitFor(
        'node1 to become the leader',
        async () => {
          const res = await patroniGet(first.address, '/primary');
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs: 90000 },
      );
    }
  }
  for (const node of others) await node.start('patroni');
  say('waiting for both replicas to stream from the leader…');
  await waitHealthy(120000);
});

/** The node whose Patroni says it is the primary, if any answers. */
async function runningLeader<T extends { address: string; name: string }>(nodes: readonly T[]): Promise<T | undefined> {
  for (const node of nodes) {
    const res = await patroniGet(node.address, '/primary').catch(() => undefined);
    if (res?.status === 200) return node;
  }
  return undefined;
}
