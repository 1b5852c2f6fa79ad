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
  if (await first.start('patroni')) {
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
  for (const node of others) await node.start('patroni');
  say('waiting for both replicas to stream from the leader…');
  await waitHealthy(120000);
});
