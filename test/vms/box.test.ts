import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { sleep } from '../../lib/clients/wait.ts';
import { InventorySshConfig } from '../../lib/ssh/inventory-ssh-config.ts';
import { SshHost } from '../../lib/ssh/ssh-host.ts';
import { SshTransport } from '../../lib/ssh/ssh-transport.ts';
import { scaled, timeScale } from '../../lib/time-scale.ts';
import { boxIsCurrent } from '../../lib/vms/box-build.ts';
import { boxFiles } from '../../lib/vms/box-recipe.ts';
import { bootBox, chooseAccel, insecurePrivateKey, type QemuVm } from '../../lib/vms/qemu-vm.ts';
import { freePort } from '../support/free-port.ts';
import { sshHostCases } from '../support/ssh-host-cases.ts';

/**
 * The box that test:vms builds, booted once with QEMU on loopback-only networking, reached the
 * way the vagrant target reaches a VM: ssh as `vagrant` with Vagrant's key, root through sudo,
 * services through systemd (a real one, this time).
 */
describe('the local box on a real VM: the vagrant path, with systemd', function () {
  this.timeout(scaled(900000));
  let vm: QemuVm | undefined;
  let dir = '';
  let transport: SshTransport | undefined;
  let host: SshHost | undefined;
  const unit = 'wb-box-test';
  const unitPath = `/etc/systemd/system/${unit}.service`;
  const unitText = (arg: string, wantedBy = 'multi-user.target') =>
    `[Unit]\nDescription=workbook box test\n\n[Service]\nUser=nobody\nExecStart=/bin/sleep ${arg}\n\n[Install]\nWantedBy=${wantedBy}\n`;
  const theHost = () => {
    if (!host) throw new Error('the VM did not come up');
    return host;
  };

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'runs as root (QEMU, the box cache)');
    assert.ok(await boxIsCurrent(), 'the box is not built: `npm run test:vms -- --box-only` builds it');
    dir = await mkdtemp(`${tmpdir()}/wb-box-`);
    const { accel, why } = await chooseAccel();
    const port = await freePort();
    const started = Date.now();
    vm = await bootBox(boxFiles(), port, accel);
    const key = await insecurePrivateKey(dir);
    const source = new InventorySshConfig(
      () => [{ name: 'node1', hostName: '127.0.0.1', user: 'vagrant', port, key, options: [] }],
      {
        configFile: `${dir}/ssh-config`,
        controlDir: `${dir}/cm`,
        socketPrefix: 'box',
        knownHostsFile: `${dir}/known_hosts`,
        hint: () => `the VM did not answer; its console is in ${vm?.console}`,
      },
    );
    transport = new SshTransport(source);
    const candidate = new SshHost({ name: 'node1', address: '127.0.0.1' }, transport, { privilege: 'sudo' });
    const deadline = Date.now() + scaled(600000);
    for (;;) {
      const up = await candidate.run('true', { retry: false, connectTimeout: 5 }).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline)
        throw new Error(
          `the VM did not answer ssh within ${scaled(600)} s (${accel}, WORKBOOK_TIME_SCALE ${timeScale()}); console: ${vm.console}`,
        );
      await sleep(2000);
    }
    console.log(`      (booted to ssh in ${((Date.now() - started) / 1000).toFixed(0)} s with ${accel}: ${why})`);
    host = candidate;
  });

  after(async () => {
    await transport?.closeAll();
    await vm?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  sshHostCases('vagrant on the box: root and users through sudo', () => ({
    host: theHost(),
    hostname: 'bookworm',
    user: 'nobody',
    group: 'nogroup',
    scratch: '/tmp/wb-box-scratch',
  }));

  describe('services through systemd', () => {
    it('starts a unit as its user, and a second start changes nothing', async () => {
      const h = theHost();
      await h.writeFile(unitPath, unitText('3600'));
      assert.equal(await h.services.status(unit), 'stopped');
      assert.equal(await h.services.start(unit), true);
      assert.equal(await h.services.status(unit), 'running');
      assert.equal((await h.run(`ps -o user= -p "$(systemctl show -p MainPID --value ${unit})"`)).stdout.trim(), 'nobody');
      assert.equal(await h.services.start(unit), false);
    });

    it('enables it once', async () => {
      const h = theHost();
      assert.equal(await h.services.enable(unit), true);
      assert.equal(await h.services.isEnabled(unit), true);
      assert.equal(await h.services.enable(unit), false);
    });

    it('restarts with a changed unit file (daemon-reload on its own)', async () => {
      const h = theHost();
      await h.writeFile(unitPath, unitText('3601'));
      await h.services.restart(unit);
      assert.equal(
        (await h.run(`ps -o args= -p "$(systemctl show -p MainPID --value ${unit})"`)).stdout.trim(),
        '/bin/sleep 3601',
      );
    });

    it('stops it, and a second stop changes nothing', async () => {
      const h = theHost();
      assert.equal(await h.services.stop(unit), true);
      assert.equal(await h.services.status(unit), 'stopped');
      assert.equal(await h.services.stop(unit), false);
    });

    it("a service that dies at once: the error shows systemd's journal", async () => {
      const h = theHost();
      await h.writeFile(
        `/etc/systemd/system/${unit}-bad.service`,
        '[Service]\nExecStart=/bin/sh -c "echo bad config >&2; exit 3"\n',
      );
      await assert.rejects(h.services.start(`${unit}-bad`), /did not stay up[\s\S]*journalctl[\s\S]*bad config/);
    });

    it("refuses to enable the guide's WantedBy=multi-user.targ", async () => {
      const h = theHost();
      await h.writeFile(`/etc/systemd/system/${unit}-typo.service`, unitText('1', 'multi-user.targ'));
      await assert.rejects(h.services.enable(`${unit}-typo`), /WantedBy=multi-user\.targ is not a unit name/);
    });
  });
});
