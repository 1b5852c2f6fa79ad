import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { SshTarget } from '../../lib/ssh/ssh-target.ts';
import { FakeSsh } from '../support/fake-ssh.ts';

describe('the ssh target', () => {
  let dir = '';
  let ssh: FakeSsh;

  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/wb-ssh-target-`);
    ssh = await FakeSsh.install();
  });

  afterEach(async () => {
    await ssh.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('without an inventory, says which file to write and where the example is', async () => {
    const target = new SshTarget(`${dir}/inventory.yml`, `${dir}/state`, `${dir}/cm`);
    await assert.rejects(
      target.assertUp(),
      /needs an inventory of your servers, and .*inventory\.yml does not exist: copy lib\/ssh\/inventory\.example\.yml there/,
    );
  });

  it('names a machine the inventory lacks', async () => {
    await writeFile(`${dir}/inventory.yml`, 'hosts:\n  node1: 10.0.0.11\n');
    const target = new SshTarget(`${dir}/inventory.yml`, `${dir}/state`, `${dir}/cm`);
    assert.throws(() => target.host('node2'), /inventory\.yml: it has no entry for node2/);
  });

  it('reaches a root login without sudo and another user through sudo', async () => {
    await writeFile(`${dir}/inventory.yml`, 'hosts:\n  node1: root@10.0.0.11\n  node2: admin@10.0.0.12\n');
    const target = new SshTarget(`${dir}/inventory.yml`, `${dir}/state`, `${dir}/cm`);
    await target.host('node1').run('true');
    await target.host('node2').run('true', { check: false });
    const calls = (await ssh.log()).filter((l) => l.startsWith('begin'));
    assert.match(calls[0], / node1 env -i PATH=/);
    assert.match(calls[1], / node2 sudo -n -H -- env -i PATH=/);
    assert.match(calls[0], new RegExp(`-F ${dir}/state/ssh-config`));
  });
});
