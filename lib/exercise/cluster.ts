import { query } from '../clients/sql.ts';
import { waitFor } from '../clients/wait.ts';
import { observe, superuser, waitHealthy } from '../cluster/health.ts';
import { vipHolders } from '../cluster/vip.ts';
import type { Host } from '../host/host.ts';
import { shellQuote } from '../host/shell.ts';
import { addressOf, POSTGRES_NODES } from '../ip-plan.ts';
import type { ExerciseContext, Facts } from './types.ts';

/**
 * The replica an exercise may break: never the leader, so that no fault can cost an
 * acknowledged write. The last replica by name, so that repeated runs pick the same node
 * while the leader stays put.
 */
export async function pickReplica(): Promise<string> {
  const { members, leader } = await observe();
  const replicas = (members ?? [])
    .filter((m) => m.name !== leader?.name)
    .map((m) => m.name)
    .sort();
  const replica = replicas.at(-1);
  if (!leader || !replica) throw new Error('the cluster has no leader with a replica right now: `npm run check 7` says why');
  return replica;
}

/** The one line of `file` on `host` that matches `pattern` (a fault replaces exactly that line, and says which it was). */
export async function lineOf(host: Host, file: string, pattern: RegExp): Promise<string> {
  const text = await host.readFile(file);
  if (text === undefined) throw new Error(`${file} does not exist on ${host.name}: is its chapter done?`);
  const lines = text.split('\n').filter((l) => pattern.test(l));
  if (lines.length !== 1) throw new Error(`${file} on ${host.name} has ${lines.length} lines like ${pattern}, expected one`);
  return lines[0];
}

/**
 * `sed -i` replacing one whole line by another, as a person would type it: `|` delimits, since
 * addresses and paths hold `/`; the few characters sed treats specially are escaped.
 */
export function sedLine(file: string, from: string, to: string): string {
  const pattern = from.replace(/[\\|.*[\]^$]/g, (c) => `\\${c}`);
  const replacement = to.replace(/[\\|&]/g, (c) => `\\${c}`);
  return `sudo sed -i ${shellQuote(`s|^${pattern}$|${replacement}|`)} ${file}`;
}

/** Runs typed commands on a host, as root (the Host interface's sudo), failing with what the host said. */
export async function runOn(ctx: ExerciseContext, host: string, command: string): Promise<void> {
  await ctx.host(host).run(command);
}

/** Which of the authentication methods of pg_hba the node's PostgreSQL uses now (pg_hba_file_rules). */
export async function hbaMethods(ctx: ExerciseContext, node: string): Promise<string[]> {
  const rows = await query<{ auth_method: string }>(
    superuser(ctx.secrets, addressOf(node)),
    'select auth_method from pg_hba_file_rules',
  );
  return rows.map((r) => r.auth_method);
}

/** Waits until every node's PostgreSQL does, or does not, have a `trust` rule loaded. */
export async function waitTrust(
  ctx: ExerciseContext,
  present: boolean,
  nodes = POSTGRES_NODES.map((n) => n.name),
): Promise<void> {
  await waitFor(
    present ? 'a trust rule in pg_hba' : 'no trust rule left in pg_hba on any node',
    async () => {
      for (const node of nodes) {
        const methods = await hbaMethods(ctx, node).catch(() => undefined);
        if (!methods || methods.includes('trust') !== present) return undefined;
      }
      return true;
    },
    { timeoutMs: 60000, intervalMs: 1000 },
  );
}

/** Waits until the virtual IP is held by exactly `holder`. */
export async function waitVipOn(ctx: ExerciseContext, holder: string): Promise<void> {
  await waitFor(
    `the virtual IP on ${holder} only`,
    async () => ((await vipHolders((name) => ctx.host(name))).join() === holder ? true : undefined),
    { timeoutMs: 30000, intervalMs: 500 },
  );
}

/** The fix is in when the cluster is healthy again: one leader, every replica streaming. */
export async function settleHealthy(): Promise<void> {
  await waitHealthy(180000);
}

/** The node a fault hit, from the facts `start` saved. */
export function victim(facts: Facts): string {
  const node = facts.node;
  if (!node) throw new Error('the running exercise does not say which node it broke: `npm run exercise -- status`');
  return node;
}
