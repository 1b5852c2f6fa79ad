import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { CORE_HOSTS } from '../../lib/ip-plan.ts';
import { VagrantTarget } from '../../lib/vagrant/vagrant-target.ts';
import { FakeSsh } from '../support/fake-ssh.ts';
import { FakeVagrant } from '../support/fake-vagrant.ts';

const CORE = CORE_HOSTS.map((h) => h.name);

describe('the vagrant target: a wrong environment gets a message that says what to do', () => {
  let dir = '';
  let vagrant: FakeVagrant;
  let target: VagrantTarget;
  let ssh: FakeSsh;

  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/wb-vagrant-target-`);
    vagrant = new FakeVagrant(dir);
    target = new VagrantTarget(vagrant, { stateDir: `${dir}/state`, controlDir: `${dir}/cm` });
    ssh = await FakeSsh.install();
  });

  afterEach(async () => {
    await ssh.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('vagrant not installed: says how to install it, and that the lab needs none of it', async () => {
    vagrant.present = false;
    for (const attempt of [target.assertUp(), target.bringUp(() => {})]) {
      await assert.rejects(
        attempt,
        /^Error: vagrant is not installed \(no `vagrant` on PATH\)\. Install Vagrant \(Debian\/Ubuntu: `sudo apt-get install vagrant`.*`--target lab`/,
      );
    }
  });

  it('VMs not up: names each one, its state, and the command that starts them', async () => {
    vagrant.set('running', 'node1', 'node2', 'node3').set('poweroff', 'etcdnode').set('not_created', 'haproxynode');
    await assert.rejects(
      target.assertUp(),
      new RegExp(
        `^Error: the VMs are not up \\(etcdnode is poweroff, haproxynode is not created\\)\\. Start them with \`vagrant up etcdnode haproxynode\` in ${dir} `,
      ),
    );
  });

  it("a VM that is running but does not answer over ssh: which one, ssh's words, what to try", async () => {
    vagrant.set('running', ...CORE);
    for (const h of CORE_HOSTS) await ssh.setAddress(h.name, h.address);
    await ssh.failTimes(1);
    await assert.rejects(target.assertUp(), (e: Error) => {
      assert.match(
        e.message,
        /^the VMs are running, but:\n {2}- node\d: node\d is not reachable over ssh \(ssh: connect to host 192\.168\.56\.11 port 22: Connection refused\)\. Is it up\? `vagrant status node\d`/,
      );
      assert.equal(e.message.split('\n').length, 2, 'only the machine that failed is named');
      const named = /- (node\d):/.exec(e.message)?.[1];
      assert.ok(e.message.includes(`\`vagrant reload ${named}\` restarts it`), 'and the command that restarts that VM');
      return true;
    });
  });

  it('a VM without its private address: says so', async () => {
    vagrant.set('running', ...CORE);
    for (const h of CORE_HOSTS) await ssh.setAddress(h.name, h.name === 'node2' ? '10.0.2.15' : h.address);
    await assert.rejects(target.assertUp(), /- node2: it is up but does not have its private address 192\.168\.56\.12/);
  });

  it('chapter 1 runs `vagrant up` for the machines that are not running, and only those', async () => {
    vagrant.set('running', 'node1', 'node2', 'node3').set('not_created', 'etcdnode', 'haproxynode');
    for (const h of CORE_HOSTS) await ssh.setAddress(h.name, h.address);
    const lines: string[] = [];
    // The last step, the route from this machine to the private addresses, depends on this machine's network.
    const changes = await target.bringUp((l) => lines.push(l)).catch((e: Error) => e);
    assert.ok(vagrant.calls.includes('up etcdnode haproxynode'), vagrant.calls.join(', '));
    assert.match(lines[0], /^vagrant up etcdnode haproxynode {3}\(in /);
    assert.match(lines[1], /^ {4}Bringing machine 'etcdnode' up/);
    if (Array.isArray(changes))
      assert.deepEqual(changes, ['started VM etcdnode (vagrant up)', 'started VM haproxynode (vagrant up)']);
    else assert.match(changes.message, /cannot reach their private addresses/);
  });
});
