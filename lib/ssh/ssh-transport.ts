import type { RunOptions, RunResult } from '../host/host.ts';
import { runProcess } from '../host/run-process.ts';
import { scaled } from '../time-scale.ts';

/** Where the ssh config for a set of machines comes from: `vagrant ssh-config`, or an inventory file. */
export interface SshConfigSource {
  /** A config file with a `Host <alias>` entry for each machine (this one included), made or made afresh when needed. */
  file(alias?: string): Promise<string>;
  /**
   * Called after a machine could not be reached: looks again (e.g. asks vagrant) and returns
   * true when anything changed. May throw an error that says what to do (e.g. the VM is off).
   */
  refresh(alias: string): Promise<boolean>;
  /** What a person should try when the machine cannot be reached. */
  unreachableHint(alias: string): string;
}

export class HostUnreachableError extends Error {
  constructor(
    readonly host: string,
    detail: string,
    hint: string,
  ) {
    super(`${host} is not reachable over ssh (${detail}). ${hint}`);
  }
}

/** ssh's own failures (exit 255 before the command ran), as opposed to a command that exited 255. */
export function isConnectFailure(result: RunResult): boolean {
  if (result.exitCode !== 255) return false;
  return /^(ssh: |kex_exchange_identification|Connection (closed|reset|timed out)|Host key verification failed|Bad owner or permissions|mux_client_|Control socket connect|ControlSocket .* already exists|Load key|no such identity|.*Permission denied \()/im.test(
    result.stderr,
  );
}

export interface SshRunOptions extends RunOptions {
  /** Seconds to wait for the connection (default 10). */
  connectTimeout?: number;
  /** After a failed connection, refresh the config and try once more (default true). */
  retry?: boolean;
}

/**
 * Runs command lines on machines with the `ssh` client: one config file for all machines,
 * connection sharing through ControlMaster, BatchMode (never a prompt). Returns whatever the
 * command returned; a machine that cannot be reached is a HostUnreachableError.
 */
export class SshTransport {
  private readonly used = new Set<string>();
  /** The first command to each machine opens the shared connection; the others wait for it. */
  private readonly opening = new Map<string, Promise<unknown>>();

  constructor(private readonly source: SshConfigSource) {}

  async run(hostName: string, alias: string, remote: string, shown: string, options: SshRunOptions = {}): Promise<RunResult> {
    const first = this.opening.get(alias);
    if (first) await first.catch(() => undefined);
    const attempt = this.attempt(hostName, alias, remote, shown, options);
    if (!first) this.opening.set(alias, attempt);
    return attempt;
  }

  /** argv of an interactive login shell over ssh with a terminal (`ssh -tt`), for the by-hand runner. */
  async loginShellArgv(alias: string): Promise<string[]> {
    const file = await this.source.file(alias);
    this.used.add(alias);
    const argv = sshArgv(file, alias, 'exec bash --login --noediting -i');
    argv[argv.indexOf('-T')] = '-tt';
    return argv;
  }

  /** Closes the shared connections this process opened (they would otherwise linger for ControlPersist). */
  async closeAll(): Promise<void> {
    if (this.used.size === 0) return;
    const file = await this.source.file();
    await Promise.all([...this.used].map((alias) => this.closeMaster(file, alias)));
    this.used.clear();
    this.opening.clear();
  }

  async closeMaster(file: string, alias: string): Promise<void> {
    await runProcess(alias, ['ssh', '-F', file, '-o', 'LogLevel=QUIET', '-O', 'exit', alias], 'ssh -O exit', { check: false });
  }

  private async attempt(
    hostName: string,
    alias: string,
    remote: string,
    shown: string,
    options: SshRunOptions,
  ): Promise<RunResult> {
    let file = await this.source.file(alias);
    this.used.add(alias);
    let result = await runProcess(hostName, sshArgv(file, alias, remote, options.connectTimeout), shown, {
      ...options,
      check: false,
    });
    if (!isConnectFailure(result)) return result;
    if (options.retry !== false) {
      // A stale shared connection, or a machine that came back with another address or key.
      await this.closeMaster(file, alias);
      await this.source.refresh(alias);
      file = await this.source.file(alias);
      result = await runProcess(hostName, sshArgv(file, alias, remote, options.connectTimeout), shown, {
        ...options,
        check: false,
      });
      if (!isConnectFailure(result)) return result;
    }
    throw new HostUnreachableError(
      hostName,
      lastLine(result.stderr) || `ssh exited with ${result.exitCode}`,
      this.source.unreachableHint(alias),
    );
  }
}

export function sshArgv(configFile: string, alias: string, remote: string, connectTimeout = 10): string[] {
  return [
    'ssh',
    '-F',
    configFile,
    '-o',
    'BatchMode=yes',
    '-o',
    // Under emulation, several VMs answering at once need longer than a laptop for the key exchange.
    `ConnectTimeout=${scaled(connectTimeout)}`,
    '-o',
    'LogLevel=ERROR',
    '-T',
    '--',
    alias,
    remote,
  ];
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
