import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { sleep } from '../../lib/clients/wait.ts';
import type { Host } from '../../lib/host/host.ts';
import { privilegeFor } from '../../lib/host/remote-command.ts';
import { shellQuote } from '../../lib/host/shell.ts';
import { hostSpec } from '../../lib/ip-plan.ts';
import { labDown, labUp } from '../../lib/lab/lab.ts';
import { hostNetns, LabHost } from '../../lib/lab/lab-host.ts';
import { LabServices } from '../../lib/lab/lab-services.ts';
import { LabTarget } from '../../lib/lab/lab-target.ts';
import { assertRoutedIntoLab } from '../../lib/lab/safety.ts';
import { local } from '../../lib/local.ts';
import { InventorySshConfig } from '../../lib/ssh/inventory-ssh-config.ts';
import { SshHost } from '../../lib/ssh/ssh-host.ts';
import { HostUnreachableError, SshTransport } from '../../lib/ssh/ssh-transport.ts';
import { type SshHostCase, sshHostCases } from '../support/ssh-host-cases.ts';
import { SSHD, startSshd, type TestSshd } from '../support/sshd.ts';

/**
 * The vagrant and ssh targets' code path, run for real: a real sshd inside a lab host, reached
 * from this machine over the lab bridge by SshHost, exactly as the workbook reaches a VM.
 *
 * - sshd runs in etcdnode (192.168.56.21:2222, the lab subnet only) under start-stop-daemon,
 *   with a pid file in the host's own /run; it is stopped by that pid file, never by name.
 * - Two logins: root (a server with root login, no sudo), and `wbssh`, a user made for the test
 *   inside the host (its /etc is its own overlay) with passwordless sudo, like `vagrant` on a box.
 * - Services: there is no systemd in the lab, so the service test drives the lab's
 *   start-stop-daemon services (LabServices) through SshHost: the unit file is written, read and
 *   run over ssh and sudo. systemctl's own command lines are proven in test/unit/systemd-services.test.ts.
 *
 * Named 50-… so that the lab suite (sorted) runs it while the lab is up, after the chapters and
 * before the teardown. Run alone on a lab that is down, it brings the lab up and down itself.
 */
const HOST = 'etcdnode';
const PORT = 2222;
const SSHD_DIR = '/run/wb-sshd';
const SCRATCH = '/run/wb-ssh-scratch';
const SUDO_USER = 'wbssh';
const NOSUDO_USER = 'wbnosudo';
const UNIT = 'wb-ssh-test';
const quiet = () => {};

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('lab: the ssh transport against a real sshd in a lab host', function () {
  this.timeout(120000);
  const spec = hostSpec(HOST);
  const lab = new LabHost(spec);
  let broughtUp = false;
  let restoreRootPassword: string | undefined;
  let sshd: TestSshd | undefined;
  const transports: SshTransport[] = [];
  const hosts = new Map<string, SshHost>();

  /** SshHost logging in as `login`, with its own ssh config, socket and (strict) known_hosts. */
  function sshHost(server: TestSshd, login: string, port = PORT, knownHosts = server.knownHosts): SshHost {
    // Another known_hosts file gets its own control socket: reusing an open master connection would skip the host key check.
    const variant = knownHosts === server.knownHosts ? `${login}-${port}` : `${login}-${port}-other-keys`;
    const source = new InventorySshConfig(
      () => [{ name: HOST, hostName: spec.address, user: login, port, key: server.clientKey, options: [] }],
      {
        configFile: `${server.clientDir}/ssh-config-${variant}`,
        controlDir: `${server.clientDir}/cm`,
        socketPrefix: variant,
        knownHostsFile: knownHosts,
        strictHostKeyChecking: 'yes',
        hint: () => `the test's sshd in ${HOST} is not listening on ${port}`,
      },
    );
    const transport = new SshTransport(source);
    transports.push(transport);
    return new SshHost(spec, transport, { privilege: privilegeFor(login), services: (h: Host) => new LabServices(h) });
  }

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the lab tests run as root');
    for (const path of [SSHD, '/usr/bin/sudo']) {
      assert.ok(await exists(path), `${path} is missing: install openssh-server and sudo on this machine before the lab is made`);
    }
    try {
      await new LabTarget().assertUp();
    } catch {
      await labUp(quiet);
      broughtUp = true;
    }
    // Network safety: 192.168.56.21 must lead into the lab bridge and nowhere else.
    await assertRoutedIntoLab(spec.address);
    const sshdUser = await lab.run('getent passwd sshd', { check: false });
    assert.equal(
      sshdUser.exitCode,
      0,
      `${HOST} has no sshd user: openssh-server was installed after the lab was made (npm run lab -- down, then up)`,
    );

    // sshd without PAM refuses a locked account ('!…'), root included: '*' (no password, not locked)
    // for the test, in this host's own /etc, and back afterwards.
    const rootPassword = (await lab.run('getent shadow root | cut -d: -f2')).stdout.trim();
    if (rootPassword.startsWith('!')) {
      await lab.run("usermod -p '*' root");
      restoreRootPassword = rootPassword;
    }
    await removeTestUsers();
    await lab.run(
      [
        `useradd --system --user-group --home-dir /run/${SUDO_USER}-home --no-create-home --shell /bin/bash ${SUDO_USER}`,
        `useradd --system --user-group --home-dir /run/${NOSUDO_USER}-home --no-create-home --shell /bin/bash ${NOSUDO_USER}`,
        // sshd without PAM refuses locked accounts ('!'); '*' has no password and is not locked.
        `usermod -p '*' ${SUDO_USER} && usermod -p '*' ${NOSUDO_USER}`,
        `install -d -o ${SUDO_USER} -g ${SUDO_USER} -m 0755 /run/${SUDO_USER}-home`,
        `install -d -o ${NOSUDO_USER} -g ${NOSUDO_USER} -m 0755 /run/${NOSUDO_USER}-home`,
      ].join(' && '),
    );
    await lab.writeFile(`/etc/sudoers.d/${SUDO_USER}`, `${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: '0440' });
    await lab.run(`visudo -c -q -f /etc/sudoers.d/${SUDO_USER}`);

    sshd = await startSshd(lab, { listen: spec.address, port: PORT, dir: SSHD_DIR, users: ['root', SUDO_USER, NOSUDO_USER] });
    hosts.set('root', sshHost(sshd, 'root'));
    hosts.set(SUDO_USER, sshHost(sshd, SUDO_USER));
    hosts.set(NOSUDO_USER, sshHost(sshd, NOSUDO_USER));
  });

  after(async () => {
    for (const transport of transports) await transport.closeAll().catch(() => undefined);
    await sshd?.stop();
    await killLeftoverSshd();
    await removeTestUsers();
    if (restoreRootPassword) await lab.run(`usermod -p ${shellQuote(restoreRootPassword)} root`, { check: false });
    await lab.run(`rm -rf ${SCRATCH}`, { check: false });
    if (broughtUp) await labDown(quiet);
  });

  const lookup = (login: string): SshHostCase => {
    const host = hosts.get(login);
    if (!host) throw new Error('sshd did not start in the lab host');
    return { host, hostname: HOST, user: 'etcd', group: 'etcd', scratch: `${SCRATCH}/${login}` };
  };
  sshHostCases('logged in as root (a server with root login): root directly, users through runuser', () => lookup('root'));
  sshHostCases(`logged in as ${SUDO_USER} (like vagrant on a box): root and users through sudo`, () => lookup(SUDO_USER));

  describe('services over ssh', () => {
    const unitPath = `/etc/systemd/system/${UNIT}.service`;
    const unit = `[Unit]\nDescription=workbook ssh transport test\n\n[Service]\nUser=etcd\nExecStart=/bin/sleep 3600\n\n[Install]\nWantedBy=multi-user.target\n`;

    after(async () => {
      const host = hosts.get(SUDO_USER);
      if (host) await host.services.stop(UNIT).catch(() => undefined);
      await lab.run(
        `rm -f ${unitPath} /etc/systemd/system/multi-user.target.wants/${UNIT}.service /var/log/${UNIT}.log /run/workbook/${UNIT}.pid`,
        {
          check: false,
        },
      );
    });

    it("starts a service with its unit's user, leaves it running, enables it, and stops it", async () => {
      const host = lookup(SUDO_USER).host;
      assert.equal(await host.writeFile(unitPath, unit), true);
      assert.equal(await host.services.status(UNIT), 'stopped');
      assert.equal(await host.services.start(UNIT), true);
      assert.equal(await host.services.status(UNIT), 'running');
      const owner = await host.run(`ps -o user= -p "$(cat /run/workbook/${UNIT}.pid)"`);
      assert.equal(owner.stdout.trim(), 'etcd');
      assert.equal(await host.services.start(UNIT), false, 'a second start changes nothing');
      assert.equal(await host.services.enable(UNIT), true);
      assert.equal(await host.services.isEnabled(UNIT), true);
      assert.equal(await host.services.enable(UNIT), false);
      assert.equal(await host.services.stop(UNIT), true);
      assert.equal(await host.services.status(UNIT), 'stopped');
      assert.equal(await host.services.stop(UNIT), false, 'a second stop changes nothing');
    });
  });

  describe('a wrong environment gets a message that says what to do', () => {
    it('a login without passwordless sudo', async () => {
      await assert.rejects(lookup(NOSUDO_USER).host.run('true'), /on etcdnode: the ssh user may not use sudo without a password/);
    });

    it("nothing listening: names the host, ssh's words and the hint", async () => {
      if (!sshd) throw new Error('sshd did not start');
      await assert.rejects(sshHost(sshd, 'root', PORT + 1).run('true'), (e: unknown) => {
        assert.ok(e instanceof HostUnreachableError);
        assert.match(
          e.message,
          /^etcdnode is not reachable over ssh \(ssh: connect to host 192\.168\.56\.21 port 2223: Connection refused\)\. the test's sshd/,
        );
        return true;
      });
    });

    it('a host key that is not the one known: refuses to talk', async () => {
      if (!sshd) throw new Error('sshd did not start');
      const wrong = `${sshd.clientDir}/wrong_known_hosts`;
      await local`ssh-keygen -q -t ed25519 -N '' -f ${sshd.clientDir}/other_key`;
      await local`sh -c ${`printf '[%s]:%s %s\\n' ${spec.address} ${PORT} "$(cut -d' ' -f1,2 ${sshd.clientDir}/other_key.pub)" > ${wrong}`}`;
      await assert.rejects(
        sshHost(sshd, 'root', PORT, wrong).run('true'),
        /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/,
      );
    });
  });

  async function removeTestUsers(): Promise<void> {
    await lab.run(
      `for u in ${SUDO_USER} ${NOSUDO_USER}; do if id -u "$u" >/dev/null 2>&1; then userdel "$u"; fi; rm -rf "/run/$u-home"; done; rm -f /etc/sudoers.d/${SUDO_USER}`,
      { check: false },
    );
  }

  /** sshd's per-connection processes outlive the listener; they are ours (nothing else runs sshd in a lab host). */
  async function killLeftoverSshd(): Promise<void> {
    const pids = (await local`ip netns pids ${hostNetns(HOST)}`.catch(() => '')).split('\n').filter(Boolean);
    for (const pid of pids) {
      const exe = await local`readlink /proc/${pid}/exe`.catch(() => '');
      if (exe.trim() === SSHD) await local`kill -TERM ${pid}`.catch(() => '');
    }
  }

  // Last: mocha runs a suite's own tests before its nested suites, so this one gets a suite of its own.
  describe('cleanup', () => {
    it('leaves no sshd process in the lab host', async () => {
      for (const transport of transports) await transport.closeAll();
      await sshd?.stop();
      sshd = undefined;
      await sleep(500);
      const pids = (await local`ip netns pids ${hostNetns(HOST)}`).split('\n').filter(Boolean);
      const sshdPids: string[] = [];
      for (const pid of pids) if ((await local`readlink /proc/${pid}/exe`.catch(() => '')).trim() === SSHD) sshdPids.push(pid);
      assert.deepEqual(sshdPids, [], 'sshd processes left in the lab host');
    });
  });
});
