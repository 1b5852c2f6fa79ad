import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { findHost, parseSshConfig, renderSshConfig, type SshConfigEntry } from '../ssh/ssh-config.ts';
import { ensureControlDir, sharingOptions } from '../ssh/ssh-control.ts';
import type { SshConfigSource } from '../ssh/ssh-transport.ts';
import { machinesFingerprint, vagrantDotfileDir } from './machine-fingerprint.ts';
import type { VagrantCli } from './vagrant-cli.ts';
import { VmsNotUpError } from './vagrant-errors.ts';
import { isRunning } from './vagrant-status.ts';

export interface VagrantSshConfigOptions {
  /** The cache: vagrant's Host entries plus the connection-sharing block (.workbook/vagrant/ssh-config). */
  configFile: string;
  controlDir: string;
}

/**
 * `vagrant ssh-config`, asked once and cached: asking costs seconds, reading the cache
 * nothing. The cache is made afresh when vagrant's record of the machines changes (a machine
 * created, destroyed, re-created), when a machine is missing from it, and after a failed
 * connection (a VM that came back with another address).
 */
export class VagrantSshConfig implements SshConfigSource {
  private entries?: SshConfigEntry[];

  constructor(
    private readonly cli: VagrantCli,
    private readonly options: VagrantSshConfigOptions,
  ) {}

  get fingerprintFile(): string {
    return `${this.options.configFile}.fingerprint`;
  }

  async file(alias?: string): Promise<string> {
    if (!this.entries && (await this.isFresh())) this.entries = parseSshConfig(await readFile(this.options.configFile, 'utf8'));
    if (!this.entries || (alias !== undefined && !findHost(this.entries, alias))) await this.refresh(alias);
    return this.options.configFile;
  }

  /** The cache exists, vagrant's record has not changed since, and it has these machines. No vagrant call. */
  async isFresh(aliases: readonly string[] = []): Promise<boolean> {
    const [text, stamp] = await Promise.all([
      readFile(this.options.configFile, 'utf8').catch(() => undefined),
      readFile(this.fingerprintFile, 'utf8').catch(() => undefined),
    ]);
    if (text === undefined || stamp?.trim() !== (await this.fingerprint())) return false;
    const entries = parseSshConfig(text);
    return aliases.every((a) => findHost(entries, a));
  }

  /** Asks vagrant again. Throws VmsNotUpError when `alias` (or every machine) is not running. */
  async refresh(alias?: string): Promise<boolean> {
    const states = await this.cli.status();
    const running = [...states.values()].filter(isRunning).map((m) => m.name);
    if (alias !== undefined && !running.includes(alias)) {
      throw new VmsNotUpError([states.get(alias) ?? { name: alias, state: 'not defined in the Vagrantfile' }], this.cli.cwd);
    }
    if (running.length === 0)
      throw new VmsNotUpError(
        [...states.values()].filter((m) => m.state !== 'running'),
        this.cli.cwd,
      );
    const fingerprint = await this.fingerprint();
    const entries = parseSshConfig(await this.cli.sshConfig(running)).filter((e) => !e.patterns.includes('*'));
    const text = renderSshConfig([...entries, sharingOptions(this.options.controlDir, 'vagrant')]);
    await ensureControlDir(this.options.controlDir);
    await mkdir(dirname(this.options.configFile), { recursive: true, mode: 0o700 });
    const before = await readFile(this.options.configFile, 'utf8').catch(() => undefined);
    if (before !== text) await writeFile(this.options.configFile, text, { mode: 0o600 });
    await writeFile(this.fingerprintFile, `${fingerprint}\n`, { mode: 0o600 });
    this.entries = entries;
    return before !== text;
  }

  unreachableHint(alias: string): string {
    return (
      `Is it up? \`vagrant status ${alias}\` tells. When it is running, \`vagrant ssh ${alias}\` shows what is wrong, ` +
      `and \`vagrant reload ${alias}\` restarts it.`
    );
  }

  private fingerprint(): Promise<string> {
    return machinesFingerprint(vagrantDotfileDir(this.cli.cwd));
  }
}
