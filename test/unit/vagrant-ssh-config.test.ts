import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { machinesFingerprint, vagrantDotfileDir } from '../../lib/vagrant/machine-fingerprint.ts';
import { VmsNotUpError } from '../../lib/vagrant/vagrant-errors.ts';
import { VagrantSshConfig } from '../../lib/vagrant/vagrant-ssh-config.ts';
import { FakeVagrant } from '../support/fake-vagrant.ts';

describe('the cached vagrant ssh-config', () => {
  let dir = '';
  let vagrant: FakeVagrant;
  let config: VagrantSshConfig;
  const configFile = () => `${dir}/.workbook/vagrant/ssh-config`;
  const recordMachine = async (name: string, id: string) => {
    await mkdir(`${dir}/.vagrant/machines/${name}/libvirt`, { recursive: true });
    await writeFile(`${dir}/.vagrant/machines/${name}/libvirt/id`, id);
  };

  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/wb-vagrant-`);
    vagrant = new FakeVagrant(dir).set('running', 'node1', 'node2').set('not_created', 'node3');
    config = new VagrantSshConfig(vagrant, { configFile: configFile(), controlDir: `${dir}/cm` });
    await recordMachine('node1', 'uuid-1');
    await recordMachine('node2', 'uuid-2');
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('asks vagrant once for the running machines and writes the cache, private, with connection sharing', async () => {
    assert.equal(await config.file('node1'), configFile());
    assert.deepEqual(vagrant.calls, ['status', 'ssh-config node1 node2']);
    const text = await readFile(configFile(), 'utf8');
    assert.match(text, /^Host node1\n {2}HostName 192\.168\.121\.10\n/);
    assert.match(text, /^Host \*\n {2}ControlMaster auto\n {2}ControlPath .*\/cm\/vagrant-%n$/m);
    assert.equal((await stat(configFile())).mode & 0o777, 0o600);
    await config.file('node2');
    const again = new VagrantSshConfig(vagrant, { configFile: configFile(), controlDir: `${dir}/cm` });
    await again.file('node1');
    assert.deepEqual(vagrant.calls, ['status', 'ssh-config node1 node2'], 'later calls, and a new process, read the cache');
  });

  it('asks again when vagrant re-created a machine, or when a machine is missing from the cache', async () => {
    await config.file('node1');
    assert.ok(await config.isFresh(['node1', 'node2']));
    assert.ok(!(await config.isFresh(['node3'])));
    await recordMachine('node2', 'uuid-2-new');
    assert.ok(!(await config.isFresh()));
    const fresh = new VagrantSshConfig(vagrant, { configFile: configFile(), controlDir: `${dir}/cm` });
    await fresh.file('node1');
    assert.equal(vagrant.calls.filter((c) => c === 'status').length, 2);
  });

  it('says which machine is not running, and how to start it', async () => {
    await assert.rejects(config.file('node3'), (e: unknown) => {
      assert.ok(e instanceof VmsNotUpError);
      assert.equal(
        e.message,
        `the VMs are not up (node3 is not created). Start them with \`vagrant up node3\` in ${dir} (or \`npm run chapter 1 -- --target vagrant\`), then try again.`,
      );
      return true;
    });
  });

  it('fingerprints what vagrant records per machine, and honours VAGRANT_DOTFILE_PATH', async () => {
    const before = await machinesFingerprint(`${dir}/.vagrant`);
    assert.equal(await machinesFingerprint(`${dir}/.vagrant`), before);
    await recordMachine('node3', 'uuid-3');
    assert.notEqual(await machinesFingerprint(`${dir}/.vagrant`), before);
    assert.equal(await machinesFingerprint(`${dir}/nothing-here`), await machinesFingerprint(`${dir}/nor-here`));
    assert.equal(vagrantDotfileDir('/p', {}), '/p/.vagrant');
    assert.equal(vagrantDotfileDir('/p', { VAGRANT_DOTFILE_PATH: 'state' }), '/p/state');
    assert.equal(vagrantDotfileDir('/p', { VAGRANT_DOTFILE_PATH: '/var/v' }), '/var/v');
  });
});
