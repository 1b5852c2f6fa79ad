/**
 * The one interface every step and check uses to reach a machine. The lab implements it with
 * nsenter; the VM and server targets implement it over ssh. Commands run as root (sudo
 * semantics) unless a user is given.
 */
export interface RunOptions {
  /** Run as this user instead of root, like `sudo -u USER`. */
  user?: string;
  /** Text fed to the command's standard input. */
  input?: string;
  /** Throw when the command exits non-zero (default true). */
  check?: boolean;
  /** Stream output to the terminal as it arrives (default: only when WORKBOOK_VERBOSE is set). */
  stream?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface FileOptions {
  owner?: string;
  group?: string;
  /** Octal string, as chmod takes it, e.g. "0600". */
  mode?: string;
}

export type ServiceState = 'running' | 'stopped';

/** Service lifecycle. On VMs this is systemd; in the lab the same unit file is run under start-stop-daemon. */
export interface Services {
  start(unit: string): Promise<boolean>;
  stop(unit: string): Promise<boolean>;
  restart(unit: string): Promise<void>;
  reload(unit: string): Promise<void>;
  status(unit: string): Promise<ServiceState>;
  /** Start at boot. Returns true when this changed anything. */
  enable(unit: string): Promise<boolean>;
  isEnabled(unit: string): Promise<boolean>;
  /** Tell the service manager that unit files changed (systemctl daemon-reload). */
  daemonReload(): Promise<void>;
}

/** How to open an interactive login shell on a host, as its ordinary user (the by-hand runner types into it). */
export interface LoginShell {
  /** Runs in a pseudo-terminal: an interactive login bash without readline (`bash --login --noediting -i`). */
  argv: string[];
  /** The user a person logs in as: `attendee` in the lab, `vagrant` on VMs, the inventory's user on servers. */
  user: string;
}

export interface Host {
  readonly name: string;
  readonly address: string;
  /** Runs a shell command line (bash -c) on the host. */
  run(command: string, options?: RunOptions): Promise<RunResult>;
  /** The file's contents, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Writes the file only when its content, owner or mode differ. Returns true when it changed anything. */
  writeFile(path: string, content: string, options?: FileOptions): Promise<boolean>;
  readonly services: Services;
  /** The login shell a person would type the chapter's by-hand commands into. */
  loginShell(): Promise<LoginShell>;
}

export class CommandError extends Error {
  constructor(
    readonly host: string,
    readonly command: string,
    readonly result: RunResult,
  ) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n  ');
    super(`on ${host}: \`${command}\` exited with ${result.exitCode}${detail ? `\n  ${detail}` : ''}`);
  }
}
