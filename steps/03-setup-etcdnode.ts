import { ROLE_PACKAGES } from '../lib/packages.ts';
import { defineStep } from '../lib/step.ts';

/** Chapter 3: the etcd server and its command-line client on etcdnode. */
export default defineStep(async ({ host }) => {
  await host('etcdnode').install(ROLE_PACKAGES.etcd); // etcd-server etcd-client
});
