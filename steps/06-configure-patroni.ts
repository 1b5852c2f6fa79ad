import { applyPatroniConfig, currentEtcdHosts } from '../lib/cluster/patroni-yml.ts';
import { DATA_DIR, PATRONI_UNIT, PATRONI_UNIT_PATH } from '../lib/config/patroni.ts';
import { sh } from '../lib/host/shell.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 6: /etc/patroni.yml on each node (it holds passwords: postgres only, 0600), an
 * empty data directory that only postgres may enter, and the systemd unit, enabled.
 * Patroni is told about every etcd member there is (one now, three after chapter 11).
 */
export default defineStep(async ({ nodes, secrets }) => {
  const etcdHosts = await currentEtcdHosts();
  for (const node of nodes) {
    await applyPatroniConfig(node, secrets, etcdHosts);

    const dataDir = await node.$`stat -c '%U %a' ${DATA_DIR} 2>/dev/null || true`;
    if (dataDir.stdout.trim() !== 'postgres 700') {
      await node.change(`created ${DATA_DIR} (postgres, 0700)`, sh`install -d -o postgres -g postgres -m 0700 ${DATA_DIR}`);
    }

    if (await node.writeFile(PATRONI_UNIT_PATH, PATRONI_UNIT)) await node.daemonReload();
    await node.enable('patroni');
  }
});
