import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { etcdHealthy, etcdMembers } from '../lib/clients/etcd.ts';
import { sh } from '../lib/host/shell.ts';
import { ETCD_NODE, PORTS } from '../lib/ip-plan.ts';

describe('chapter 5: etcd is configured and running', () => {
  it('lists etcdnode as a started member with its private peer and client URLs (v3 API)', async () => {
    const members = await etcdMembers();
    const etcdnode = members.find((m) => m.name === 'etcdnode');
    assert.ok(etcdnode, `etcd members: ${members.map((m) => m.name || '(unstarted)').join(', ')}`);
    assert.deepEqual(etcdnode.peerURLs, [`http://${ETCD_NODE.address}:${PORTS.etcdPeer}`]);
    assert.deepEqual(etcdnode.clientURLs, [`http://${ETCD_NODE.address}:${PORTS.etcdClient}`]);
  });

  it('reports itself healthy on /health', async () => {
    assert.equal(
      await etcdHealthy(),
      true,
      `GET http://${ETCD_NODE.address}:${PORTS.etcdClient}/health is not {"health":"true"}: read /var/log/etcd.log on etcdnode`,
    );
  });

  it('answers `etcdctl member list` on etcdnode, as typed by hand', async () => {
    const host = (await workbook()).target.host('etcdnode');
    const { stdout } = await host.run(
      sh`ETCDCTL_API=3 etcdctl --endpoints=http://${ETCD_NODE.address}:${PORTS.etcdClient} member list`,
    );
    assert.match(stdout, /, started, etcdnode, http:\/\/192\.168\.56\.21:2380,/);
  });

  it('is enabled at boot', async () => {
    const host = (await workbook()).target.host('etcdnode');
    assert.equal(await host.services.isEnabled('etcd'), true, 'etcd is not enabled: systemctl enable etcd');
  });
});
