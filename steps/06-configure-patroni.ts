import { DATA_DIR, PATRONI_CONFIG, PATRONI_UNIT, PATRONI_UNIT_PATH, renderPatroniConfig } from '../lib/config/patroni.ts';
import { hostSpec } from '../lib/inventory.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 6: /etc/patroni.yml on each node (it holds passwords: postgres only, 0600), an
 * empty data directory that only postgres may enter, and the systemd unit, enabled.
 */
export default defineStep(async ({ nodes, secrets }) => {
  for (const node of nodes) {
    const config = renderPatroniConfig({ node: hostSpec(node.name), secrets });
    const configChanged = await node.writeFile(PATRONI_CONFIG, config, { owner: 'postgres', mode: '0600' });
    // A running Patroni rereads its file on SIGHUP (chapter 6 run again after a change).
    if (configChanged && (await node.isRunning('patroni'))) await node.reload('patroni');

    const dataDir = await node.query(`stat -c '%U %a' ${DATA_DIR} 2>/dev/null || true`);
    if (dataDir.stdout.trim() !== 'postgres 700') {
      await node.change(`created ${DATA_DIR} (postgres, 0700)`, `install -d -o postgres -g postgres -m 0700 ${DATA_DIR}`);
    }

    if (await node.writeFile(PATRONI_UNIT_PATH, PATRONI_UNIT)) await node.daemonReload();
    await node.enable('patroni');
  }
});
