import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InventoryHost } from './inventory-file.ts';
import { renderSshConfig, type SshConfigEntry } from './ssh-config.ts';
import { ensureControlDir, sharingOptions } from './ssh-control.ts';
import type { SshConfigSource } from './ssh-transport.ts';

export interface InventorySshConfigOptions {
  /** Where the rendered config is written. */
  configFile: string;
  controlDir: string;
  /** Keeps this target's control sockets apart from others'. */
  socketPrefix: string;
  knownHostsFile: string;
  /** `accept-new` (trust on first use, then insist) or `yes` (the key must be in knownHostsFile already). */
  strictHostKeyChecking?: 'accept-new' | 'yes';
  /** What to tell a person when a machine cannot be reached. */
  hint: (alias: string) => string;
}

/** One ssh Host entry per inventory machine. */
export function inventoryEntry(host: InventoryHost): SshConfigEntry {
  const options: [string, string][] = [
    ['HostName', host.hostName],
    ['User', host.user],
    ['Port', String(host.port)],
  ];
  if (host.key) options.push(['IdentityFile', host.key], ['IdentitiesOnly', 'yes']);
  return { patterns: [host.name], options: [...options, ...host.options] };
}

/** The ssh config for machines listed by hand (the ssh target, and the lab's ssh transport test). */
export class InventorySshConfig implements SshConfigSource {
  private written?: string;

  constructor(
    private readonly hosts: () => InventoryHost[],
    private readonly options: InventorySshConfigOptions,
  ) {}

  async file(): Promise<string> {
    if (this.written === undefined) await this.write();
    return this.options.configFile;
  }

  async refresh(): Promise<boolean> {
    const before = this.written;
    await this.write();
    return before !== this.written;
  }

  unreachableHint(alias: string): string {
    return this.options.hint(alias);
  }

  private async write(): Promise<void> {
    const { configFile, controlDir, socketPrefix, knownHostsFile } = this.options;
    const common = sharingOptions(controlDir, socketPrefix);
    common.options.push(
      ['UserKnownHostsFile', knownHostsFile],
      ['StrictHostKeyChecking', this.options.strictHostKeyChecking ?? 'accept-new'],
      ['PasswordAuthentication', 'no'],
    );
    const text = renderSshConfig([...this.hosts().map(inventoryEntry), common]);
    await ensureControlDir(controlDir);
    await mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
    const current = await readFile(configFile, 'utf8').catch(() => undefined);
    if (current !== text) await writeFile(configFile, text, { mode: 0o600 });
    this.written = text;
  }
}
