import { access, mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { LocalHost } from '../../lib/host/local-host.ts';
import type { Privilege } from '../../lib/host/remote-command.ts';
import { InventorySshConfig } from '../../lib/ssh/inventory-ssh-config.ts';
import { SshHost } from '../../lib/ssh/ssh-host.ts';
import { SshTransport } from '../../lib/ssh/ssh-transport.ts';
import { freePort } from '../support/free-port.ts';
import { type SshHostCase, sshHostCases } from '../support/ssh-host-cases.ts';
import { SSHD, startSshd, type TestSshd } from '../support/sshd.ts';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The ssh transport against a real sshd on 127.0.0.1 (loopback only), logging in as root:
 * once straight to root, once through sudo, as on a Vagrant VM. Needs root and openssh-server
 * (and sudo for the second half); the lab suite runs the same cases inside a lab host.
 */
describe('ssh transport against a real sshd on 127.0.0.1', function () {
  this.timeout(30000);
  let sshd: TestSshd | undefined;
  let scratch = '';
  const transports: SshTransport[] = [];
  const cases = new Map<Privilege, SshHostCase>();

  before(async function () {
    if (process.getuid?.() !== 0 || !(await exists(SSHD)) || !(await exists('/usr/bin/sudo'))) {
      console.log(`      skipped: needs root, ${SSHD} and sudo (apt-get install openssh-server sudo)`);
      this.skip();
    }
    // sshd without PAM refuses a locked account, and this test does not touch this machine's root.
    const rootPassword = (await new LocalHost().run('getent shadow root | cut -d: -f2')).stdout.trim();
    if (rootPassword.startsWith('!')) {
      console.log("      skipped: root's password is locked ('!'), and sshd without PAM refuses locked accounts");
      this.skip();
    }
    const port = await freePort();
    const server = await startSshd(new LocalHost(), { listen: '127.0.0.1', port, dir: `/run/wb-sshd-${port}`, users: ['root'] });
    sshd = server;
    scratch = await mkdtemp(`${tmpdir()}/wb-ssh-scratch-`);
    for (const privilege of ['root', 'sudo'] as const) {
      const source = new InventorySshConfig(
        () => [{ name: 'node1', hostName: '127.0.0.1', user: 'root', port, key: server.clientKey, options: [] }],
        {
          configFile: `${server.clientDir}/ssh-config-${privilege}`,
          controlDir: `${server.clientDir}/cm`,
          socketPrefix: privilege,
          knownHostsFile: server.knownHosts,
          strictHostKeyChecking: 'yes',
          hint: () => 'the test sshd is not running',
        },
      );
      const transport = new SshTransport(source);
      transports.push(transport);
      const host = new SshHost({ name: 'node1', address: '127.0.0.1' }, transport, { privilege });
      cases.set(privilege, { host, hostname: hostname(), user: 'nobody', group: 'nogroup', scratch });
    }
  });

  after(async () => {
    for (const transport of transports) await transport.closeAll();
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  for (const privilege of ['root', 'sudo'] as const) {
    sshHostCases(`logged in as root, privilege ${privilege}`, () => {
      const c = cases.get(privilege);
      if (!c) throw new Error('the test sshd did not start');
      return c;
    });
  }
});
