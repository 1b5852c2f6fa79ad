import type { RunOptions, RunResult, Services } from '../host/host.ts';
import { runProcess } from '../host/run-process.ts';
import { ShellHost } from '../host/shell-host.ts';
import type { HostSpec } from '../inventory.ts';
import { LAB_DIR } from '../paths.ts';
import { LabServices } from './lab-services.ts';

const CLEAN_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'];

export function hostDir(name: string): string {
  return `${LAB_DIR}/hosts/${name}`;
}

/** The command prefix that puts a process inside a lab host: its network, mounts and hostname. */
export function enterArgv(name: string): string[] {
  const ns = `${hostDir(name)}/ns`;
  return ['nsenter', `--net=/run/netns/${name}`, `--mount=${ns}/mnt`, `--uts=${ns}/uts`, '--'];
}

/** A lab host: a network, mount and UTS namespace on this machine, entered with nsenter. */
export class LabHost extends ShellHost {
  readonly services: Services = new LabServices(this);

  constructor(spec: HostSpec) {
    super(spec.name, spec.address);
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    const inner = options.user
      ? ['runuser', '-u', options.user, '--', 'bash', '-c', `cd ~ 2>/dev/null || cd /; ${command}`]
      : ['bash', '-c', `cd /; HOME=/root; ${command}`];
    return runProcess(this.name, [...enterArgv(this.name), 'env', '-i', ...CLEAN_ENV, ...inner], command, options);
  }
}
