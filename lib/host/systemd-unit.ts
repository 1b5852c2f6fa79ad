/**
 * A reader for the part of systemd's unit format the workbook's services use. The lab runs a
 * unit exactly as it is written on the host (same command line, user and environment), so
 * what a chapter teaches for systemd is what the lab executes.
 */
export interface Unit {
  name: string;
  user: string;
  group: string;
  environment: Record<string, string>;
  environmentFiles: { path: string; optional: boolean }[];
  execStart: string;
  execReload: string[];
  killMode: string;
  timeoutSec: number;
  wantedBy: string[];
}

export function parseUnit(text: string, unitName: string, hostname: string): Unit {
  const sections = new Map<string, [string, string][]>();
  let section = '';
  for (const raw of joinContinuations(text)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const entries = sections.get(section) ?? [];
    entries.push([line.slice(0, eq).trim(), expandSpecifiers(line.slice(eq + 1).trim(), unitName, hostname)]);
    sections.set(section, entries);
  }
  const service = sections.get('Service') ?? [];
  const all = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);
  const last = (key: string) => all(key).at(-1);
  const execStart = last('ExecStart');
  if (!execStart) throw new Error(`unit ${unitName} has no ExecStart=`);
  const environment: Record<string, string> = {};
  for (const value of all('Environment')) {
    for (const word of splitWords(value)) {
      const eq = word.indexOf('=');
      if (eq > 0) environment[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  const install = sections.get('Install') ?? [];
  const user = last('User') ?? 'root';
  return {
    name: unitName,
    user,
    group: last('Group') ?? user,
    environment,
    environmentFiles: all('EnvironmentFile').map((v) =>
      v.startsWith('-') ? { path: v.slice(1), optional: true } : { path: v, optional: false },
    ),
    execStart: stripExecPrefixes(execStart),
    execReload: all('ExecReload').map(stripExecPrefixes),
    killMode: last('KillMode') ?? 'control-group',
    timeoutSec: Number(last('TimeoutStopSec') ?? last('TimeoutSec') ?? 90),
    wantedBy: install.filter(([k]) => k === 'WantedBy').flatMap(([, v]) => v.split(/\s+/)),
  };
}

/** KEY=VALUE lines as an EnvironmentFile= holds them (quotes and comments allowed). */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of joinContinuations(text)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    const words = splitWords(m[2].trim());
    env[m[1]] = words.join(' ');
  }
  return env;
}

/** The argv of an Exec line: `$VAR` splits into words, `${VAR}` stays one word, as systemd does. */
export function expandCommandLine(line: string, env: Record<string, string>): string[] {
  const argv: string[] = [];
  for (const word of splitWords(line)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (whole) {
      argv.push(...(env[whole[1]] ?? '').split(/\s+/).filter(Boolean));
      continue;
    }
    argv.push(word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, b) => env[a ?? b] ?? ''));
  }
  return argv;
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

function stripExecPrefixes(line: string): string {
  return line.replace(/^[-@:+!]+/, '');
}

function expandSpecifiers(value: string, unitName: string, hostname: string): string {
  const prefix = unitName.replace(/\.service$/, '').replace(/@.*$/, '');
  return value.replace(/%([Hpn%])/g, (_, s: string) => (s === 'H' ? hostname : s === 'p' ? prefix : s === 'n' ? unitName : '%'));
}

/** Splits on blanks, honouring double and single quotes. */
function splitWords(value: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const ch of value) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started || current) words.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
    }
  }
  if (started || current) words.push(current);
  return words;
}
