import { shellJoin } from './shell.ts';

/**
 * How a command runs on a host, written once: `bash -c`, as root unless a user is given, with
 * the same clean environment (PATH, LANG=C.UTF-8, and HOME, USER, LOGNAME for root) and working
 * directory (/ for root, the user's home for a user). A lab host runs commandArgv inside its
 * namespaces; a VM or a server gets remoteCommand, the same argv as the line ssh hands to the
 * remote login shell; `npm run lab -- exec|shell` and the by-hand login shells use asRoot and
 * asUser. So a command runs on a VM exactly as in a lab host, by construction.
 */
export type Privilege =
  /** The ssh user is not root (vagrant, a cloud image's admin user): root through `sudo -n`. */
  | 'sudo'
  /** The ssh user is root (and a lab host, entered as root): no sudo needed, other users through runuser. */
  | 'root';

/** The PATH of every command, service and login shell on a host. */
export const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const BASE_ENV = [`PATH=${REMOTE_PATH}`, 'LANG=C.UTF-8'];
const ROOT_ENV = [...BASE_ENV, 'HOME=/root', 'USER=root', 'LOGNAME=root'];

export function privilegeFor(loginUser: string): Privilege {
  return loginUser === 'root' ? 'root' : 'sudo';
}

function assertUserName(user: string): void {
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(user)) throw new Error(`not a user name: ${JSON.stringify(user)}`);
}

/** `inner` run as root in the clean root environment (plus `extraEnv`, e.g. TERM). */
export function asRoot(privilege: Privilege, inner: readonly string[], extraEnv: readonly string[] = []): string[] {
  const env = ['env', '-i', ...ROOT_ENV, ...extraEnv];
  // sudo resets the environment itself; -n fails at once where a password would be asked.
  return privilege === 'sudo' ? ['sudo', '-n', '-H', '--', ...env, ...inner] : [...env, ...inner];
}

/** `inner` run as `user` in the clean environment (plus `extraEnv`). */
export function asUser(privilege: Privilege, user: string, inner: readonly string[], extraEnv: readonly string[] = []): string[] {
  assertUserName(user);
  return privilege === 'sudo'
    ? ['sudo', '-n', '-H', '-u', user, '--', 'env', ...BASE_ENV, ...extraEnv, ...inner]
    : ['env', '-i', ...BASE_ENV, ...extraEnv, 'runuser', '-u', user, '--', ...inner];
}

/**
 * The one argv of a command line run on a host. `--norc`: bash reads ~/.bashrc even without -i
 * when its stdin is a socket (Node's pipes are socketpairs, sshd's too), so root's dotfiles on this
 * machine (a pyenv init: 95 ms a command, or 60 s behind its stale lock) would run before every
 * lab command.
 */
export function commandArgv(command: string, privilege: Privilege, user?: string): string[] {
  if (user !== undefined) assertUserName(user);
  if (user !== undefined && user !== 'root')
    return asUser(privilege, user, ['bash', '--norc', '-c', `cd ~ 2>/dev/null || cd /; ${command}`]);
  return asRoot(privilege, ['bash', '--norc', '-c', `cd /; ${command}`]);
}

/** commandArgv as the line ssh hands to the remote login shell. */
export function remoteCommand(command: string, privilege: Privilege, user?: string): string {
  return shellJoin(commandArgv(command, privilege, user));
}

/** What sudo prints when it would need a password or a terminal: the machine needs passwordless sudo. */
export function isSudoRefusal(stderr: string): boolean {
  return /^sudo: (a password is required|a terminal is required|sorry, you must have a tty)/m.test(stderr);
}
