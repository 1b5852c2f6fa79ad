import { readFile } from 'node:fs/promises';
import { APP } from '../cluster/health.ts';
import { joiningMembership, renderEtcdDefaults } from '../config/etcd.ts';
import { renderHaproxyConfig } from '../config/haproxy.ts';
import { HAPROXY_CHECK, HAPROXY_CHECK_SCRIPT, KEEPALIVED_CONF, renderKeepalivedConf } from '../config/keepalived.ts';
import { PATRONI_UNIT, renderPatroniConfig } from '../config/patroni.ts';
import { PGBOUNCER_INI, renderPgbouncerIni } from '../config/pgbouncer.ts';
import { TLS_PARAMETERS, TLS_PG_HBA } from '../config/tls.ts';
import { HAPROXY_NODE, hostSpec } from '../ip-plan.ts';
import { renderSecret, SECRET_TEMPLATE } from '../k8s/secret.ts';
import { ROOT } from '../paths.ts';
import { SECRET_NAMES, type Secrets } from '../secrets.ts';
import { parseTargetName } from '../target.ts';

/**
 * A chapter never holds a hand-made copy of code: between `<!-- include: SPEC -->` and
 * `<!-- /include -->` sits a generated copy of a file of the repository, or of a configuration
 * exactly as the step renders it (with placeholders instead of secrets).
 */
const INCLUDE = /<!-- include: (.+?) -->\n[\s\S]*?<!-- \/include -->/g;
/** The two comments alone, as a markdown parser sees them (the site's renderer). */
export const INCLUDE_OPEN = /^<!--\s*include:\s*(.+?)\s*-->\s*$/;
export const INCLUDE_CLOSE = /^<!--\s*\/include\s*-->\s*$/;

/** What a reader types where a generated secret goes, e.g. `<superuser-password>`. */
export const PLACEHOLDER_SECRETS = Object.fromEntries(SECRET_NAMES.map((k) => [k, `<${k}-password>`])) as unknown as Secrets;

/** The one table of rendered configurations: what a chapter may include, and where each lives on its host. */
const CONFIGS: Record<string, { lang: string; file: string; render: (arg?: string) => string | Promise<string> }> = {
  patroni: {
    lang: 'yaml',
    file: '/etc/patroni.yml',
    render: (node = 'node1') => renderPatroniConfig({ node: hostSpec(node), secrets: PLACEHOLDER_SECRETS }),
  },
  'patroni-unit': { lang: 'ini', file: '/etc/systemd/system/patroni.service', render: () => PATRONI_UNIT },
  // `config:etcd` is chapter 5's one-member file; `config:etcd etcdnode2` a newcomer's of chapter 11.
  etcd: {
    lang: 'sh',
    file: '/etc/default/etcd',
    render: (node) => (node ? renderEtcdDefaults(hostSpec(node), joiningMembership(hostSpec(node))) : renderEtcdDefaults()),
  },
  // `config:haproxy haproxynode2`: chapter 13's, whose stats page binds haproxynode2's address.
  haproxy: {
    lang: 'haproxy',
    file: '/etc/haproxy/haproxy.cfg',
    render: (node = HAPROXY_NODE.name) => renderHaproxyConfig({ secrets: PLACEHOLDER_SECRETS, node: hostSpec(node) }),
  },
  keepalived: {
    lang: 'text',
    file: KEEPALIVED_CONF,
    // The attendee types the whole <vrrp-password>; keepalived keeps its first 8 characters.
    render: (node = HAPROXY_NODE.name) =>
      renderKeepalivedConf(hostSpec(node), PLACEHOLDER_SECRETS, 'eth1', PLACEHOLDER_SECRETS.vrrp),
  },
  'keepalived-check': { lang: 'sh', file: HAPROXY_CHECK_SCRIPT, render: () => HAPROXY_CHECK },
  pgbouncer: { lang: 'ini', file: PGBOUNCER_INI, render: () => renderPgbouncerIni(APP.database) },
  // Chapter 15's change of Patroni's dynamic configuration, as the step PATCHes it (a file on your machine).
  'patroni-tls': {
    lang: 'json',
    file: 'tls-config.json',
    render: () => `${JSON.stringify({ postgresql: { parameters: TLS_PARAMETERS, pg_hba: TLS_PG_HBA } }, null, 2)}\n`,
  },
  // Chapter 14's Secret as the step renders it for a target (lab by default), placeholders for the passwords.
  'k8s-secret': {
    lang: 'yaml',
    file: '.workbook/<target>/k8s/secret.yaml',
    render: async (target = 'lab') =>
      renderSecret(await readFile(SECRET_TEMPLATE, 'utf8'), PLACEHOLDER_SECRETS, parseTargetName(target)),
  },
};

/** Where a configuration of the table lives on its host, e.g. /etc/default/etcd. */
export function configFile(name: string): string | undefined {
  return CONFIGS[name]?.file;
}

/**
 * `SPEC as HOST$ COMMAND`: the body of SPEC typed into COMMAND as a heredoc, e.g.
 * `config:etcd as etcdnode$ sudo tee /etc/default/etcd >/dev/null` is the by-hand form of
 * "replace the file with this": a session block the by-hand runner types and the site copies.
 */
const TYPED = /^(.+?)\s+as\s+(\S*\$)\s+(.+)$/;
const HEREDOC_END = 'EOF';

export function splitTypedSpec(spec: string): { inner: string; prompt?: string; command?: string } {
  const m = TYPED.exec(spec.trim());
  return m ? { inner: m[1], prompt: m[2], command: m[3] } : { inner: spec.trim() };
}

const LANG_BY_EXTENSION: Record<string, string> = {
  ts: 'ts',
  sh: 'sh',
  yml: 'yaml',
  yaml: 'yaml',
  cfg: 'haproxy',
  json: 'json',
  rb: 'ruby',
};

/** The title shown above an included block: the repository path, or the host's file. */
export function includeTitle(spec: string): string {
  const typed = splitTypedSpec(spec);
  const config = /^config:\s*(\S+)(?:\s+(\S+))?/.exec(typed.inner);
  if (!config) return typed.inner;
  const file = configFile(config[1]) ?? `${config[1]} configuration`;
  return config[2] ? `${file} on ${config[2]}` : file;
}

/** The block an include holds: a file of the repository (below `root`), or a rendered configuration. */
export async function renderInclude(spec: string, root = ROOT): Promise<{ lang: string; body: string }> {
  const typed = splitTypedSpec(spec);
  if (typed.command) {
    const { body } = await renderInclude(typed.inner, root);
    const text = body.endsWith('\n') ? body : `${body}\n`;
    if (text.split('\n').includes(HEREDOC_END)) throw new Error(`include "${spec}": the body has a line ${HEREDOC_END}`);
    return { lang: 'sh', body: `${typed.prompt} ${typed.command} <<'${HEREDOC_END}'\n${text}${HEREDOC_END}\n` };
  }
  const config = /^config:(\S+)(?:\s+(\S+))?$/.exec(spec.trim());
  if (config) {
    const entry = CONFIGS[config[1]];
    if (!entry)
      throw new Error(
        `unknown include "${spec}": configs are ${Object.keys(CONFIGS)
          .map((k) => `config:${k}`)
          .join(', ')}`,
      );
    return { lang: entry.lang, body: await entry.render(config[2]) };
  }
  const path = spec.trim();
  if (path.includes('..') || path.startsWith('/')) throw new Error(`include "${spec}" must be a path inside the repository`);
  const body = await readFile(`${root}/${path}`, 'utf8').catch(() => {
    throw new Error(`include "${spec}": no such file in the repository`);
  });
  return { lang: LANG_BY_EXTENSION[path.split('.').pop() ?? ''] ?? '', body };
}

/** A fenced block that survives any backticks inside the body. */
export function fence(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${body.endsWith('\n') ? body : `${body}\n`}${ticks}`;
}

/** The chapter with every include refreshed. */
export async function syncIncludes(markdown: string, root = ROOT): Promise<string> {
  const specs = [...markdown.matchAll(INCLUDE)].map((m) => m[1]);
  const rendered = new Map<string, string>();
  for (const spec of specs) {
    const { lang, body } = await renderInclude(spec, root);
    rendered.set(spec, `<!-- include: ${spec} -->\n${fence(lang, body)}\n<!-- /include -->`);
  }
  return markdown.replace(INCLUDE, (_, spec: string) => rendered.get(spec) ?? '');
}

/**
 * The one drift check, used by `npm run sync-chapters --check`, the unit tests and the site:
 * the specs of includes whose copy differs from what they include (files and rendered
 * configurations alike).
 */
export async function driftedIncludes(markdown: string, root = ROOT): Promise<string[]> {
  const drifted: string[] = [];
  for (const m of markdown.matchAll(INCLUDE)) {
    if ((await syncIncludes(m[0], root)) !== m[0]) drifted.push(m[1]);
  }
  return drifted;
}

/** driftedIncludes as messages a person can act on; an include that cannot be rendered says why. */
export async function includeProblems(markdown: string, root = ROOT): Promise<string[]> {
  const problems: string[] = [];
  for (const m of markdown.matchAll(INCLUDE)) {
    try {
      if ((await syncIncludes(m[0], root)) !== m[0])
        problems.push(`the copy of ${m[1]} is out of date: run npm run sync-chapters`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

export function includeSpecs(markdown: string): string[] {
  return [...markdown.matchAll(INCLUDE)].map((m) => m[1]);
}
