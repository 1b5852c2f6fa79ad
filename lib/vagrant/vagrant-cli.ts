import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { ROOT } from '../paths.ts';
import { type MachineStatus, machineReadableError, machineReadableErrorClass, machineStates } from './vagrant-status.ts';

export class VagrantNotInstalledError extends Error {
  constructor() {
    super(
      'vagrant is not installed (no `vagrant` on PATH). Install Vagrant (Debian/Ubuntu: `sudo apt-get install vagrant`; ' +
        'macOS and Windows: https://developer.hashicorp.com/vagrant/install) and VirtualBox (or vagrant-libvirt on Linux), ' +
        'then run `npm run chapter 1 -- --target vagrant`. Without VMs, the embedded lab needs none of this: `--target lab`.',
    );
  }
}

/** Vagrant is there, but nothing to run VMs with: no VirtualBox, no libvirt (or not the one asked for). */
export class VagrantNoProviderError extends Error {
  constructor(reason: string) {
    const why = reason
      .split('\n')
      .find((l) => /could not|not installed|not usable|No usable/i.test(l) && !/requested to back/.test(l));
    super(
      `vagrant has no provider to run the VMs with${why ? ` (vagrant says: ${why.trim()})` : ''}. Install VirtualBox, or on Linux libvirt: \`sudo apt-get install vagrant-libvirt libvirt-daemon-system\` and \`export VAGRANT_DEFAULT_PROVIDER=libvirt\`.\n` +
        '  Without VMs, the embedded lab needs none of this: `npm run target -- lab` (as root).',
    );
  }
}

const NO_PROVIDER = [
  'Vagrant::Errors::ProviderNotUsable',
  'Vagrant::Errors::NoDefaultProvider',
  'Vagrant::Errors::ProviderNotFound',
];

export class VagrantCommandError extends Error {
  constructor(args: readonly string[], exitCode: number, detail: string, cwd: string) {
    super(
      `\`vagrant ${args.join(' ')}\` failed (exit ${exitCode}) in ${cwd}${detail ? `:\n  ${detail.trim().split('\n').join('\n  ')}` : ''}`,
    );
  }
}

export interface VagrantResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The vagrant command line, run in the folder of the Vagrantfile. Every call costs a second or two. */
export class VagrantCli {
  constructor(readonly cwd = ROOT) {}

  /** True when `vagrant` is on PATH (looked up without starting it, which takes a second). */
  async installed(): Promise<boolean> {
    for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
      try {
        await access(`${dir}/vagrant`, constants.X_OK);
        return true;
      } catch {}
    }
    return false;
  }

  async assertInstalled(): Promise<void> {
    if (!(await this.installed())) throw new VagrantNotInstalledError();
  }

  /** Runs vagrant; `onLine` receives its output line by line as it arrives. Throws when it fails. */
  async run(args: readonly string[], onLine?: (line: string) => void): Promise<VagrantResult> {
    await this.assertInstalled();
    const result = await spawnLines('vagrant', args, this.cwd, onLine);
    if (result.exitCode !== 0) {
      if (NO_PROVIDER.includes(machineReadableErrorClass(result.stdout) ?? ''))
        throw new VagrantNoProviderError(machineReadableError(result.stdout) ?? '');
      const detail =
        machineReadableError(result.stdout) ?? (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-8).join('\n');
      throw new VagrantCommandError(args, result.exitCode, detail, this.cwd);
    }
    return result;
  }

  async status(): Promise<Map<string, MachineStatus>> {
    return machineStates((await this.run(['status', '--machine-readable'])).stdout);
  }

  /** `vagrant ssh-config` for these machines (all must be running). */
  async sshConfig(names: readonly string[]): Promise<string> {
    return (await this.run(['ssh-config', ...names])).stdout;
  }

  async up(names: readonly string[], onLine: (line: string) => void): Promise<void> {
    await this.run(['up', ...names], onLine);
  }
}

function spawnLines(
  command: string,
  args: readonly string[],
  cwd: string,
  onLine?: (line: string) => void,
): Promise<VagrantResult> {
  return new Promise((resolve, reject) => {
    // No colours (the output is read and shown line by line), no version check with HashiCorp.
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, VAGRANT_NO_COLOR: '1', VAGRANT_CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const feed = (chunk: string) => {
      if (!onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      feed(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      feed(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending && onLine) onLine(pending);
      resolve({ stdout, stderr, exitCode: code ?? 1 });
    });
  });
}
