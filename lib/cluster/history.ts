import { patroniGet } from '../clients/patroni.ts';
import { query, type SqlTarget } from '../clients/sql.ts';
import { addressOf } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';
import { superuser } from './health.ts';

/**
 * One line of Patroni's timeline history (GET /history, `patronictl history`): the timeline that
 * ended, the WAL position where it ended, PostgreSQL's reason, when, and the node promoted then
 * (the leader of the next timeline).
 */
export interface TimelineSwitch {
  timeline: number;
  lsn: number;
  reason: string;
  at: string;
  newLeader?: string;
}

/** Patroni's timeline history, as the node at `node` serves it: one entry per promotion. */
export async function timelineHistory(node: string): Promise<TimelineSwitch[]> {
  const res = await patroniGet(addressOf(node), '/history');
  if (res.status !== 200) throw new Error(`GET /history on ${node} answered ${res.status || res.text}`);
  return res.json<[number, number, string, string?, string?][]>().map(([timeline, lsn, reason, at, newLeader]) => ({
    timeline,
    lsn,
    reason,
    at: at ?? '',
    newLeader,
  }));
}

/**
 * The timeline the primary writes on now, from the name of its current WAL file (pg_control's
 * checkpoint timeline, which Patroni's /cluster reports, lags a promotion until the next checkpoint).
 */
export async function primaryTimeline(secrets: Secrets, leader: string): Promise<number> {
  const [row] = await query<{ wal: string }>(
    superuser(secrets, addressOf(leader)),
    'select pg_walfile_name(pg_current_wal_lsn()) as wal',
  );
  return Number.parseInt(row.wal.slice(0, 8), 16);
}

/**
 * The leader before the last promotion: the node the previous history line promoted. Undefined
 * after the first promotion, whose old leader is timeline 1's, which the history does not name.
 */
export function leaderBeforeLastPromotion(history: readonly TimelineSwitch[]): string | undefined {
  return history.at(-2)?.newLeader;
}

export interface RowsAround {
  /** The promotion (its history line). */
  promotion: TimelineSwitch;
  /** Rows committed before the promotion and after it, by the servers' clocks. */
  before: number;
  after: number;
}

/** How close to a promotion a writer's rows must be to count: the writer ran through it. */
export const AROUND_SECONDS = 120;

/**
 * How many rows of `table` (a writer's table: id, at timestamptz) were written in the
 * AROUND_SECONDS before and after each promotion of the history, counted on the leader. Rows a
 * writer committed just before a promotion and still found on today's leader survived it.
 */
export async function rowsAroundPromotions(
  target: SqlTarget,
  table: string,
  history: readonly TimelineSwitch[],
): Promise<RowsAround[]> {
  const promotions = history.filter((h) => h.at);
  if (promotions.length === 0) return [];
  const rows = await query<{ at: string; before: string; after: string }>(
    target,
    `select p.at::text as at,
            count(*) filter (where t.at < p.at::timestamptz and t.at >= p.at::timestamptz - $2::int * interval '1 second') as before,
            count(*) filter (where t.at > p.at::timestamptz and t.at <= p.at::timestamptz + $2::int * interval '1 second') as after
       from unnest($1::text[]) as p(at) cross join ${table} as t group by p.at`,
    [promotions.map((p) => p.at), AROUND_SECONDS],
  );
  return promotions.map((promotion) => {
    const row = rows.find((r) => r.at === promotion.at);
    return { promotion, before: Number(row?.before ?? 0), after: Number(row?.after ?? 0) };
  });
}

/**
 * Writes one row into a writer's table and deletes it again: proof that the path accepts writes
 * now. The id is negative, so it never meets the ids a writer counts up from max(id) + 1.
 */
export async function writeProbe(target: SqlTarget, table: string): Promise<string> {
  const id = -Date.now();
  const [row] = await query<{ server: string }>(
    target,
    `insert into ${table} (id) values ($1) returning host(inet_server_addr()) as server`,
    [id],
  );
  await query(target, `delete from ${table} where id = $1`, [id]);
  return row.server;
}
