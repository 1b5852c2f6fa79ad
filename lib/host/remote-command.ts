import { shellJoin, shellQuote } from './shell.ts';

/**
 * The command line ssh hands to the remote login shell, so that a command runs on a VM or a
 * server exactly as it runs in a lab host: `bash -c`, as root unless a user is given, with the
 * same clean environment (PATH, LANG=C.UTF-8, HOME) and working directory (/ for root, the
 * user's home for a user).
 */
export type Privilege =
  /** The ssh user is not root (vagrant, a cloud image's admin user): root through `sudo -n`. */
  | 'sudo'
  /** The ssh user is root: no sudo needed, other users through runuser. */
  | 'root';

export const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const BASE_ENV = [`PATH=${REMOTE_PATH}`, 'LANG=C.UTF-8'];
const ROOT_ENV = [...BASE_ENV, 'HOME=/root', 'USER=root', 'LOGNAME=root'];

export function privilegeFor(loginUser: string): Privilege {
  return loginUser === 'root' ? 'root' : 'sudo';
}

export function remoteCommand(command: string, privilege: Privilege, user?: string): string {
  if (user !== undefined && !/^[a-z_][a-z0-9_.-]*\$?$/i.test(user)) throw new Error(`not a user name: ${JSON.stringify(user)}`);
  const asUser = user !== undefined && user !== 'root';
  const script = asUser ? `cd ~ 2>/dev/null || cd /; ${command}` : `cd /; ${command}`;
  const shell = `bash -c ${shellQuote(script)}`;
  if (privilege === 'sudo') {
    // sudo resets the environment itself; -n fails at once where a password would be asked.
    const sudo = asUser
      ? ['sudo', '-n', '-H', '-u', user, '--', 'env', ...BASE_ENV]
      : ['sudo', '-n', '-H', '--', 'env', '-i', ...ROOT_ENV];
    return `${shellJoin(sudo)} ${shell}`;
  }
  const direct = asUser ? ['env', '-i', ...BASE_ENV, 'runuser', '-u', user, '--'] : ['env', '-i', ...ROOT_ENV];
  return `${shellJoin(direct)} ${shell}`;
}

/** What sudo prints when it would need a password or a terminal: the machine needs passwordless sudo. */
export function isSudoRefusal(stderr: string): boolean {
  return /^sudo: (a password is required|a terminal is required|sorry, you must have a tty)/m.test(stderr);
}
