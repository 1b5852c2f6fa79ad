import { ETCD_DEFAULTS_FILE, renderEtcdDefaults } from '../lib/config/etcd.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 5: a one-member etcd cluster on etcdnode, listening on its private address.
 * Debian's etcd.service reads /etc/default/etcd; a changed file means a restart.
 */
export default defineStep(async ({ host }) => {
  await host('etcdnode').configure('etcd', [{ path: ETCD_DEFAULTS_FILE, content: renderEtcdDefaults() }], { apply: 'restart' });
});
