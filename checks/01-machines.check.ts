import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { sh } from '../lib/host/shell.ts';
import { CORE_HOSTS } from '../lib/ip-plan.ts';

describe('chapter 1: the five machines', () => {
  before(async () => {
    await (await workbook()).target.assertUp();
  });

  for (const spec of CORE_HOSTS) {
    it(`${spec.name} answers with its own name and address ${spec.address}`, async () => {
      const host = (await workbook()).target.host(spec.name);
      const { stdout } = await host.run('hostname; ip -4 -o addr show');
      const [hostname] = stdout.split('\n');
      assert.equal(hostname.trim(), spec.name, `hostname on ${spec.name}`);
      assert.match(
        stdout,
        new RegExp(`inet ${spec.address.replaceAll('.', '\\.')}/24`),
        `${spec.name} has no address ${spec.address}`,
      );
    });
  }

  it('every machine reaches every other one on the private network', async () => {
    const { target } = await workbook();
    const from = target.host('node1');
    for (const other of CORE_HOSTS) {
      const result = await from.run(sh`ping -c 1 -W 2 ${other.address}`, { check: false });
      assert.equal(result.exitCode, 0, `node1 cannot ping ${other.name} (${other.address})`);
    }
    const back = await target.host('haproxynode').run('ping -c 1 -W 2 192.168.56.11', { check: false });
    assert.equal(back.exitCode, 0, 'haproxynode cannot ping node1');
  });
});
