/**
 * The part of ssh_config(5) the workbook reads and writes: `Host` blocks of `Key value` lines,
 * as `vagrant ssh-config` prints them and as the ssh target renders them from its inventory.
 */
/** Options whose value is the rest of the line, handed to a shell as it is: never quoted or unquoted. */
const REST_OF_LINE = new Set(['proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand']);

export interface SshConfigEntry {
  /** The Host line's patterns, e.g. ["node1"]. */
  patterns: string[];
  /** Key and value pairs in file order; keys as written. */
  options: [string, string][];
}

/** Parses ssh_config text. Lines before the first Host line form an entry for `*`; Match blocks are skipped. */
export function parseSshConfig(text: string): SshConfigEntry[] {
  const entries: SshConfigEntry[] = [];
  let current: SshConfigEntry | undefined;
  let inMatch = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const [, key, rest] = m;
    const value = REST_OF_LINE.has(key.toLowerCase()) ? rest.trim() : unquote(rest.trim());
    if (/^host$/i.test(key)) {
      current = { patterns: splitPatterns(rest), options: [] };
      entries.push(current);
      inMatch = false;
      continue;
    }
    if (/^match$/i.test(key)) {
      inMatch = true;
      continue;
    }
    if (inMatch) continue;
    if (!current) {
      current = { patterns: ['*'], options: [] };
      entries.push(current);
    }
    current.options.push([key, value]);
  }
  return entries;
}

/** The first value of an option (ssh's rule: the first one obtained wins), case-insensitively. */
export function sshOption(entry: SshConfigEntry, key: string): string | undefined {
  const wanted = key.toLowerCase();
  return entry.options.find(([k]) => k.toLowerCase() === wanted)?.[1];
}

/** The entry whose Host line names this alias exactly. */
export function findHost(entries: readonly SshConfigEntry[], alias: string): SshConfigEntry | undefined {
  return entries.find((e) => e.patterns.includes(alias));
}

export function renderSshConfig(entries: readonly SshConfigEntry[]): string {
  return entries
    .map((e) => [`Host ${e.patterns.join(' ')}`, ...e.options.map(([k, v]) => `  ${k} ${renderValue(k, v)}`)].join('\n'))
    .join('\n\n')
    .concat('\n');
}

function splitPatterns(value: string): string[] {
  return value.trim().split(/\s+/).map(unquote).filter(Boolean);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function renderValue(key: string, value: string): string {
  if (value.includes('\n')) throw new Error(`cannot write a line break in the ssh option ${key}`);
  if (REST_OF_LINE.has(key.toLowerCase())) return value;
  if (value.includes('"')) throw new Error(`cannot write ${JSON.stringify(value)} in an ssh config`);
  return /\s/.test(value) ? `"${value}"` : value;
}
