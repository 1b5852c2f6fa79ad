import type { LoginShell, RunOptions, RunResult, Services } from '../host/host.ts';
import { asRoot, asUser, commandArgv } from '../host/remote-command.ts';
import { runProcess } from '../host/run-process.ts';
import { ShellHost } from '../host/shell-host.ts';
import { HOST_NAMES, type HostSpec } from '../ip-plan.ts';
import { LAB_DIR, LAB_NETNS } from '../paths.ts';
import { LabServices } from './lab-services.ts';

/** The ordinary user with passwordless sudo that `lab up` creates in every lab host, as `vagrant` on a VM. */
export const LAB_USER = 'attendee';

export function hostDir(name: string): string {
  return `${LAB_DIR}/hosts/${name}`;
}

/** A lab host's network namespace: named after the host, after `<lab namespace>-` in a lab inside one (WORKBOOK_LAB_NETNS). */
export function hostNetns(name: string, labNetns = LAB_NETNS): string {
  return labNetns ? `${labNetns}-${name}` : name;
}

/** The host a network namespace of this lab belongs to, or undefined for any other namespace. */
export function hostOfNetns(netns: string, labNetns = LAB_NETNS): string | undefined {
  const name = labNetns ? (netns.startsWith(`${labNetns}-`) ? netns.slice(labNetns.length + 1) : undefined) : netns;
  return name !== undefined && HOST_NAMES.includes(name) ? name : undefined;
}

/** The command prefix that puts a process inside a lab host: its network, mounts and hostname. */
export function enterArgv(name: string): string[] {
  const ns = `${hostDir(name)}/ns`;
  return ['nsenter', `--net=/run/netns/${hostNetns(name)}`, `--mount=${ns}/mnt`, `--uts=${ns}/uts`, '--'];
}

/**
 * `npm run lab -- exec|shell HOST`: a root shell, or one command with its argv kept as given
 * (as `docker exec` and `ip netns exec` keep it): `exec node1 -- psql -c "select 1"` runs psql
 * with the two arguments `-c` and `select 1`, never a re-split `bash -c` line.
 */
export function labCommandArgv(name: string, command: 'shell' | 'exec', args: readonly string[], term = 'xterm'): string[] {
  const inner = command === 'shell' ? ['bash', '--login'] : ['bash', '--norc', '-c', 'cd / && exec "$@"', 'lab-exec', ...args];
  return [...enterArgv(name), ...asRoot('root', inner, [`TERM=${term}`])];
}

/** A lab host: a network, mount and UTS namespace on this machine, entered with nsenter. */
export class LabHost extends ShellHost {
  readonly services: Services = new LabServices(this);

  constructor(spec: HostSpec) {
    super(spec.name, spec.address);
  }

  async loginShell(): Promise<LoginShell> {
    const env = [`HOME=/home/${LAB_USER}`, `USER=${LAB_USER}`, `LOGNAME=${LAB_USER}`, 'SHELL=/bin/bash', 'TERM=xterm-256color'];
    return {
      user: LAB_USER,
      argv: [...enterArgv(this.name), ...asUser('root', LAB_USER, ['bash', '--login', '--noediting', '-i'], env)],
    };
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    // Entered as root: the host's argv is commandArgv's, as on a VM whose ssh user is root.
    return runProcess(this.name, [...enterArgv(this.name), ...commandArgv(command, 'root', options.user)], command, options);
  }
}
