import { homedir } from 'node:os';
import { parse } from 'yaml';

/**
 * The ssh target's inventory: for each machine of the IP plan, how ssh reaches it.
 *
 *     defaults:                       # optional, for every host
 *       user: admin                   # root, or a user with passwordless sudo
 *       key: ~/.ssh/id_ed25519
 *     hosts:
 *       node1: admin@10.0.0.11        # short form: [user@]address[:port]
 *       node2: { ssh: 10.0.0.12, user: debian, port: 2222, key: ~/.ssh/other }
 *       node3: { ssh: node3.example.net, options: { ProxyJump: bastion.example.net } }
 *
 * The cluster itself still uses the IP plan's addresses (192.168.56.11 and so on) on a
 * private network that this machine reaches directly: the checks contact those.
 */
export interface InventoryHost {
  name: string;
  /** Where ssh connects: a name or an address. */
  hostName: string;
  user: string;
  port: number;
  key?: string;
  /** Further ssh_config options, e.g. ProxyJump. */
  options: [string, string][];
}

export class InventoryError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}. See lib/ssh/inventory-file.ts for the format.`);
  }
}

interface RawHost {
  ssh?: unknown;
  user?: unknown;
  port?: unknown;
  key?: unknown;
  options?: unknown;
}

export function parseInventory(text: string, file: string, home = homedir()): InventoryHost[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new InventoryError(file, `not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(doc) || !isRecord(doc.hosts))
    throw new InventoryError(file, 'it needs a `hosts:` map of machine name to ssh address');
  const defaults = doc.defaults === undefined ? {} : doc.defaults;
  if (!isRecord(defaults)) throw new InventoryError(file, '`defaults:` must be a map (user, key, port, options)');
  return Object.entries(doc.hosts).map(([name, value]) => {
    const raw: RawHost = typeof value === 'string' ? { ssh: value } : isRecord(value) ? value : {};
    if (typeof raw.ssh !== 'string' || !raw.ssh.trim()) {
      throw new InventoryError(file, `host ${name} needs an ssh address, e.g. \`${name}: admin@10.0.0.11\``);
    }
    const short = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(raw.ssh.trim());
    if (!short) throw new InventoryError(file, `host ${name}: cannot read the ssh address "${raw.ssh}" ([user@]address[:port])`);
    const user = stringField(file, name, 'user', raw.user ?? short[1] ?? defaults.user) ?? 'root';
    const port = Number(raw.port ?? short[3] ?? defaults.port ?? 22);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InventoryError(file, `host ${name}: port must be 1-65535`);
    const key = stringField(file, name, 'key', raw.key ?? defaults.key);
    return {
      name,
      hostName: short[2].replace(/^\[(.*)\]$/, '$1'),
      user,
      port,
      key: key === undefined ? undefined : expandHome(key, home),
      options: [...optionPairs(file, name, defaults.options), ...optionPairs(file, name, raw.options)],
    };
  });
}

function stringField(file: string, host: string, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !value.trim())
    throw new InventoryError(file, `host ${host}: ${field} must be a non-empty string`);
  return value.trim();
}

function optionPairs(file: string, host: string, value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new InventoryError(file, `host ${host}: options must be a map of ssh_config options`);
  return Object.entries(value).map(([k, v]) => {
    if (!/^[A-Za-z]+$/.test(k) || (typeof v !== 'string' && typeof v !== 'number')) {
      throw new InventoryError(file, `host ${host}: option ${k} must be an ssh_config keyword with a value`);
    }
    return [k, String(v)];
  });
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}/${path.slice(2)}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
