import { CommandError, type Host, type LoginShell, type RunOptions, type RunResult, type Services } from '../host/host.ts';
import { isSudoRefusal, type Privilege, remoteCommand } from '../host/remote-command.ts';
import { ShellHost } from '../host/shell-host.ts';
import { SystemdServices } from '../host/systemd-services.ts';
import type { SshRunOptions, SshTransport } from './ssh-transport.ts';

export interface SshHostOptions {
  /** The Host alias in the ssh config (default: the host's name). */
  alias?: string;
  /** How root is reached: `sudo` when the ssh user is not root (vagrant), `root` when it is. */
  privilege: Privilege;
  /** The service manager (default systemd). The lab test drives start-stop-daemon services over ssh instead. */
  services?: (host: Host) => Services;
  /** The user ssh logs in as (vagrant, the inventory's user): the by-hand runner types as this user. */
  loginUser?: string;
}

/**
 * A VM or a server reached over ssh: commands go through the shared SshTransport, root through
 * sudo, files through ShellHost (so owner and mode are set exactly as in the lab).
 */
export class SshHost extends ShellHost {
  readonly services: Services;
  private readonly alias: string;
  private readonly privilege: Privilege;
  private readonly loginUser: string;

  constructor(
    spec: { name: string; address: string },
    private readonly transport: SshTransport,
    options: SshHostOptions,
  ) {
    super(spec.name, spec.address);
    this.alias = options.alias ?? spec.name;
    this.privilege = options.privilege;
    this.loginUser = options.loginUser ?? (options.privilege === 'root' ? 'root' : 'vagrant');
    this.services = (options.services ?? ((host) => new SystemdServices(host)))(this);
  }

  /** `ssh -tt`: a terminal, as `vagrant ssh` gives, with the login shell the by-hand runner types into. */
  async loginShell(): Promise<LoginShell> {
    return { user: this.loginUser, argv: await this.transport.loginShellArgv(this.alias) };
  }

  async run(command: string, options: RunOptions & Pick<SshRunOptions, 'connectTimeout' | 'retry'> = {}): Promise<RunResult> {
    const remote = remoteCommand(command, this.privilege, options.user);
    const result = await this.transport.run(this.name, this.alias, remote, command, options);
    if (this.privilege === 'sudo' && result.exitCode !== 0 && isSudoRefusal(result.stderr)) {
      throw new Error(
        `on ${this.name}: the ssh user may not use sudo without a password, and the workbook needs it ` +
          '(Vagrant boxes allow it; on a server add `USER ALL=(ALL) NOPASSWD: ALL` in /etc/sudoers.d/, or log in as root)',
      );
    }
    if (options.check !== false && result.exitCode !== 0) throw new CommandError(this.name, command, result);
    return result;
  }
}
