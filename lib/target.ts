import type { Host } from './host/host.ts';
import { STATE_DIR } from './paths.ts';

export const TARGET_NAMES = ['lab', 'vagrant', 'ssh'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Where the five machines live and how commands reach them. */
export interface Target {
  readonly name: TargetName;
  /** One line for the terminal: which machines, reached how. */
  readonly description: string;
  host(name: string): Host;
  /** True when the target installs the Debian packages itself before the hosts exist (the lab). */
  readonly packagesPreinstalled: boolean;
  /** Throws an error that says what to do when the machines are not up or not reachable. */
  assertUp(): Promise<void>;
  /** Chapter 1 on this target: brings the machines up. Returns what changed. */
  bringUp(report: (line: string) => void): Promise<string[]>;
  /** Brings up machines beyond the five (etcdnode2, etcdnode3, haproxynode2 for chapters 11–13). */
  addHosts(names: readonly string[], report: (line: string) => void): Promise<string[]>;
}

/** Per-target generated state (secrets, results), outside git. */
export function targetStateDir(target: TargetName): string {
  return `${STATE_DIR}/${target}`;
}

export function parseTargetName(value: string): TargetName {
  if ((TARGET_NAMES as readonly string[]).includes(value)) return value as TargetName;
  throw new Error(`unknown target "${value}": choose one of ${TARGET_NAMES.join(', ')}`);
}

/** The target in use: --target, else $WORKBOOK_TARGET, else the embedded lab. */
export function defaultTargetName(): TargetName {
  return parseTargetName(process.env.WORKBOOK_TARGET ?? 'lab');
}

export async function openTarget(name: TargetName): Promise<Target> {
  switch (name) {
    case 'lab': {
      const { LabTarget } = await import('./lab/lab-target.ts');
      return new LabTarget();
    }
    case 'vagrant': {
      const { VagrantTarget } = await import('./vagrant/vagrant-target.ts');
      return new VagrantTarget();
    }
    case 'ssh': {
      const { SshTarget } = await import('./ssh/ssh-target.ts');
      return new SshTarget();
    }
  }
}
