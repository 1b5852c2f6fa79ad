import { etcdHealthy, etcdMembers } from '../lib/clients/etcd.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { applyPatroniConfig, currentEtcdHosts } from '../lib/cluster/patroni-yml.ts';
import { ETCD_DEFAULTS_FILE, joiningMembership, peerUrl, renderEtcdDefaults } from '../lib/config/etcd.ts';
import { sh } from '../lib/host/shell.ts';
import { ETCD_NODE, ETCD_NODES } from '../lib/ip-plan.ts';
import { ROLE_PACKAGES } from '../lib/packages.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 11: grow etcd from one member to three without downtime. Each new member is first
 * announced to the running cluster (`etcdctl member add`), then started with
 * ETCD_INITIAL_CLUSTER_STATE=existing. One at a time: with two members, both must be up for a
 * quorum, so the third is added at once. Then Patroni learns all three endpoints.
 */
export default defineStep(async ({ target, host, nodes, secrets, say, changed }) => {
  const newcomers = ETCD_NODES.filter((n) => n.name !== ETCD_NODE.name);
  for (const change of await target.addHosts(
    newcomers.map((n) => n.name),
    say,
  ))
    changed(target.name, change);

  const first = host(ETCD_NODE.name);
  // Installs in parallel (slow VMs); members join one at a time, as etcd requires.
  await Promise.all(newcomers.map((spec) => host(spec.name).install(ROLE_PACKAGES.etcd)));
  for (const spec of newcomers) {
    const member = host(spec.name);

    const known = (await etcdMembers()).some((m) => m.peerURLs.includes(peerUrl(spec)));
    if (!known) {
      // etcd refuses a new member until the cluster has been fully connected for 5 s ("unhealthy cluster").
      await waitFor(
        `etcd to accept ${spec.name} as a new member`,
        async () => {
          const add = await first.query(
            sh`ETCDCTL_API=3 etcdctl --endpoints=http://${ETCD_NODE.address}:2379 member add ${spec.name} --peer-urls=${peerUrl(spec)}`,
            { check: false },
          );
          if (add.exitCode === 0) return true;
          if (!/unhealthy cluster/.test(add.stderr)) throw new Error(`etcdctl member add ${spec.name}: ${add.stderr.trim()}`);
          return undefined;
        },
        { timeoutMs: 30000, intervalMs: 1000 },
      );
      changed(first.name, `etcdctl member add ${spec.name}`);
    }
    await member.writeFile(ETCD_DEFAULTS_FILE, renderEtcdDefaults(spec, joiningMembership(spec)));
    await member.start('etcd');
    await member.enable('etcd');
    say(`waiting for ${spec.name} to join…`);
    await waitFor(
      `${spec.name} to be a started, healthy member`,
      async () => {
        const started = (await etcdMembers()).some((m) => m.name === spec.name);
        return started && (await etcdHealthy(spec.address)) ? true : undefined;
      },
      { timeoutMs: 30000 },
    );
  }

  const etcdHosts = await currentEtcdHosts();
  for (const node of nodes) await applyPatroniConfig(node, secrets, etcdHosts);
});
