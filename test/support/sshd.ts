import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { sleep } from '../../lib/clients/wait.ts';
import type { Host } from '../../lib/host/host.ts';
import { shellQuote } from '../../lib/host/shell.ts';

const exec = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** The address sshd listens on: 127.0.0.1, or a lab host's address. */
  listen: string;
  port: number;
  /** sshd's own folder on the host (config, host key, keys, pid file, log); removed at stop. */
  dir: string;
  /** Users that may log in with the test's key. */
  users: string[];
}

/** A throwaway sshd with its own host key, and what a client needs to reach it strictly. */
export interface TestSshd {
  options: SshdOptions;
  /** A private folder on this machine: the client's key, known_hosts, ssh config, control sockets. */
  clientDir: string;
  clientKey: string;
  knownHosts: string;
  /** Stops sshd by its pid file and removes both folders. */
  stop(): Promise<void>;
}

/**
 * Starts `sshd -D` under start-stop-daemon on `host` (this machine or a lab host), with a pid
 * file in its folder: never found or stopped by name.
 */
export async function startSshd(host: Host, options: SshdOptions): Promise<TestSshd> {
  if (!/^\/(run|tmp)\/[\w.-]+$/.test(options.dir)) throw new Error(`refusing to use ${options.dir} as sshd's folder`);
  const clientDir = await mkdtemp(`${tmpdir()}/wb-ssh-`);
  const clientKey = `${clientDir}/id_ed25519`;
  const hostKey = `${clientDir}/host_key`;
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'workbook-test-client', '-f', clientKey]);
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'workbook-test-host', '-f', hostKey]);
  const hostPublic = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = `${clientDir}/known_hosts`;
  await writeFile(knownHosts, `[${options.listen}]:${options.port} ${hostPublic}\n`);

  const { dir } = options;
  const q = shellQuote(dir);
  const stopCommand = `if [ -e ${q}/sshd.pid ]; then start-stop-daemon --stop --quiet --pidfile ${q}/sshd.pid --retry TERM/5/KILL/2 --remove-pidfile || true; fi; rm -rf ${q}`;
  const stop = async () => {
    await host.run(stopCommand, { check: false });
    await rm(clientDir, { recursive: true, force: true });
  };
  try {
    // A run that crashed may have left its sshd: stop it by its pid file before starting afresh.
    await host.run(stopCommand);
    await host.run(`install -d -m 0755 ${q} ${q}/keys && install -d -m 0755 /run/sshd`);
    await host.writeFile(`${dir}/host_key`, await readFile(hostKey, 'utf8'), { mode: '0600' });
    const clientPublic = await readFile(`${clientKey}.pub`, 'utf8');
    for (const user of options.users) await host.writeFile(`${dir}/keys/${user}`, clientPublic, { mode: '0644' });
    await host.writeFile(`${dir}/sshd_config`, sshdConfig(options), { mode: '0644' });
    await host.run(`${SSHD} -t -f ${q}/sshd_config`);
    await host.run(
      `start-stop-daemon --start --quiet --background --make-pidfile --pidfile ${q}/sshd.pid --output ${q}/sshd.log --startas ${SSHD} -- -D -e -f ${q}/sshd_config`,
    );
    await waitForListening(host, dir);
  } catch (error) {
    await stop();
    throw error;
  }
  return { options, clientDir, clientKey, knownHosts, stop };
}

// SHLVL=1: bash run by sshd reads ~/.bashrc unless it is a nested shell, and the login here is
// this machine's root, whose dotfiles are not the test's business (a pyenv init behind a lock left
// by a killed shell held every login 60 s and timed the suite out).
function sshdConfig({ listen, port, dir }: SshdOptions): string {
  return `# A throwaway sshd for the workbook's ssh transport test.
ListenAddress ${listen}
Port ${port}
HostKey ${dir}/host_key
PidFile none
AuthorizedKeysFile ${dir}/keys/%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
PrintMotd no
AcceptEnv none
MaxSessions 32
MaxStartups 64
SetEnv SHLVL=1
LogLevel INFO
`;
}

async function waitForListening(host: Host, dir: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const log = (await host.readFile(`${dir}/sshd.log`)) ?? '';
    if (/Server listening on/.test(log)) return;
    const alive = await host.run(`start-stop-daemon --status --pidfile ${shellQuote(dir)}/sshd.pid`, { check: false });
    if (alive.exitCode !== 0) throw new Error(`sshd did not start on ${host.name}:\n${log}`);
    await sleep(100);
  }
  throw new Error(`sshd on ${host.name} did not listen within 10 s`);
}
