import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { missingPackages, ROLE_PACKAGES } from '../lib/packages.ts';

describe('chapter 4: HAProxy on haproxynode', () => {
  it(`has ${ROLE_PACKAGES.haproxy.join(', ')} installed`, async () => {
    const host = (await workbook()).target.host('haproxynode');
    const missing = await missingPackages((c, o) => host.run(c, o), ROLE_PACKAGES.haproxy);
    assert.deepEqual(missing, [], `missing on haproxynode: ${missing.join(' ')}`);
  });

  it('has HAProxy 2.6', async () => {
    const host = (await workbook()).target.host('haproxynode');
    assert.match((await host.run('haproxy -v')).stdout, /HAProxy version 2\.6\./);
  });
});
