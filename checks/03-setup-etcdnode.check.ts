import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { missingPackages, ROLE_PACKAGES } from '../lib/packages.ts';

describe('chapter 3: etcd on etcdnode', () => {
  it(`has ${ROLE_PACKAGES.etcd.join(', ')} installed`, async () => {
    const host = (await workbook()).target.host('etcdnode');
    const missing = await missingPackages((c, o) => host.run(c, o), ROLE_PACKAGES.etcd);
    assert.deepEqual(missing, [], `missing on etcdnode: ${missing.join(' ')}`);
  });

  it('has the etcd 3.4 server and etcdctl', async () => {
    const host = (await workbook()).target.host('etcdnode');
    assert.match((await host.run('etcd --version')).stdout, /etcd Version: 3\.4\./);
    assert.match((await host.run('ETCDCTL_API=3 etcdctl version')).stdout, /etcdctl version: 3\.4\./);
  });
});
