import { ETCD_DEFAULTS_FILE, renderEtcdDefaults } from '../lib/config/etcd.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 5: a one-member etcd cluster on etcdnode, listening on its private address.
 * Debian's etcd.service reads /etc/default/etcd; a changed file means a restart.
 */
export default defineStep(async ({ host }) => {
  const etcd = host('etcdnode');
  const configChanged = await etcd.writeFile(ETCD_DEFAULTS_FILE, renderEtcdDefaults());
  if (configChanged && (await etcd.isRunning('etcd'))) await etcd.restart('etcd');
  else await etcd.start('etcd');
  await etcd.enable('etcd');
});
