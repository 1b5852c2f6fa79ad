import { existsSync, readFileSync } from 'node:fs';
import type { Host } from './host/host.ts';
import { STATE_DIR } from './paths.ts';
import { TARGET_CHOICE_FILE } from './state.ts';

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

export { targetStateDir } from './state.ts';

export function parseTargetName(value: string): TargetName {
  if ((TARGET_NAMES as readonly string[]).includes(value)) return value as TargetName;
  throw new Error(`unknown target "${value}": choose one of ${TARGET_NAMES.join(', ')}`);
}

/** Where the choice of target is kept for the whole workshop, by `npm run target -- <name>`. */
export const TARGET_FILE = TARGET_CHOICE_FILE;

export type TargetSource = '--target' | 'WORKBOOK_TARGET' | '.workbook/target' | 'default';

export interface ChosenTarget {
  name: TargetName;
  source: TargetSource;
}

/** The target when no --target is given: $WORKBOOK_TARGET, else .workbook/target, else the embedded lab. */
export function chosenTarget(env = process.env, file = TARGET_FILE): ChosenTarget {
  const fromEnv = env.WORKBOOK_TARGET?.trim();
  if (fromEnv) {
    try {
      return { name: parseTargetName(fromEnv), source: 'WORKBOOK_TARGET' };
    } catch {
      throw new Error(`WORKBOOK_TARGET is "${fromEnv}": choose one of ${TARGET_NAMES.join(', ')}, or unset it`);
    }
  }
  let saved: string | undefined;
  try {
    saved = readFileSync(file, 'utf8').trim();
  } catch {}
  if (saved) {
    try {
      return { name: parseTargetName(saved), source: '.workbook/target' };
    } catch {
      throw new Error(`${file} says "${saved}": choose again with \`npm run target -- <${TARGET_NAMES.join('|')}>\``);
    }
  }
  return { name: 'lab', source: 'default' };
}

/** The target in use: --target, else $WORKBOOK_TARGET, else .workbook/target, else the embedded lab. */
export function defaultTargetName(): TargetName {
  return chosenTarget().name;
}

/**
 * The first line of every run: "target: vagrant (VMs from the Vagrantfile, …), chosen in
 * .workbook/target". The default and --target show no origin (the chapters' samples show that line).
 */
export function targetLine(target: Target, source: TargetSource): string {
  const origin =
    source === 'WORKBOOK_TARGET' ? ', from WORKBOOK_TARGET' : source === '.workbook/target' ? ', chosen in .workbook/target' : '';
  return `target: ${target.description}${origin}`;
}

/**
 * Nobody chose a target, so it would be the lab; but the secrets of another target's cluster are
 * here and none of the lab's: the person works with VMs and forgot --target. Running on would
 * give them the lab (and new lab secrets) without a word, so say so instead.
 */
export function assertTargetIntended(chosen: ChosenTarget, stateDir = STATE_DIR): void {
  if (chosen.source !== 'default' || chosen.name !== 'lab') return;
  if (existsSync(`${stateDir}/lab/secrets.json`)) return;
  const other = TARGET_NAMES.find((t) => t !== 'lab' && existsSync(`${stateDir}/${t}/secrets.json`));
  if (!other) return;
  throw new Error(
    `no target is chosen, so this would run on the lab, but .workbook/${other}/ holds the secrets of your ${other} cluster.\n` +
      `  Choose once for the whole workshop: \`npm run target -- ${other}\` (or \`npm run target -- lab\`), or add \`-- --target ${other}\` to this command.`,
  );
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
