import { ROLE_PACKAGES } from '../lib/packages.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 2: PostgreSQL 15, Patroni and the etcd client library on node1, node2 and node3,
 * all from Debian. No default `main` cluster is created: Patroni will make the only one.
 */
export default defineStep(async ({ nodes }) => {
  // The three installs are independent: on slow VMs, one at a time would triple the wait.
  await Promise.all(nodes.map((node) => node.install(ROLE_PACKAGES.postgres))); // postgresql-15 patroni python3-etcd
});
