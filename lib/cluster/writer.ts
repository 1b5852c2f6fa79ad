import pg from 'pg';
import { assertClusterAddress } from '../clients/guard.ts';
import { clientConfig, query, type SqlTarget } from '../clients/sql.ts';
import { PollLoop, sleep } from '../clients/wait.ts';
import { scaled } from '../time-scale.ts';

export interface Attempt {
  id: number;
  /** ms since the writer started. */
  at: number;
  ok: boolean;
  /** The server that acknowledged the write, or the error. */
  detail: string;
  /** How long the attempt took, connecting included (ms). */
  ms?: number;
}

/**
 * A client that keeps writing through HAProxy, as an application would: one autocommit
 * insert every interval, reconnecting after any error. Every acknowledged id is remembered,
 * so that afterwards each one can be looked up on the new leader.
 */
export class Writer {
  readonly attempts: Attempt[] = [];
  readonly startedAt = Date.now();
  private client: pg.Client | undefined;
  private nextId = 1;
  private readonly loop: PollLoop;

  constructor(
    private readonly target: SqlTarget,
    private readonly table: string,
    private readonly intervalMs = 100,
  ) {
    this.loop = new PollLoop(() => this.writeOne(), intervalMs);
  }

  async start(): Promise<void> {
    await query(
      this.target,
      `create table if not exists ${this.table} (id bigint primary key, at timestamptz not null default now())`,
    );
    const [row] = await query<{ next: string }>(this.target, `select coalesce(max(id), 0) + 1 as next from ${this.table}`);
    this.nextId = Number(row.next);
    this.loop.start();
  }

  async stop(): Promise<Attempt[]> {
    await this.loop.stop();
    if (this.client) await Promise.race([this.client.end().catch(() => {}), sleep(500)]);
    return this.attempts;
  }

  get acknowledged(): number[] {
    return this.attempts.filter((a) => a.ok).map((a) => a.id);
  }

  /** ms since the writer started: the clock every Attempt.at is on, for marking events beside the writes. */
  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  /** The writes acknowledged after `sinceMs` by the server at `address`: after a fault on it, the split-brain window. */
  acknowledgedBy(address: string, sinceMs = 0): Attempt[] {
    return this.attempts.filter((a) => a.ok && a.at > sinceMs && a.detail === address);
  }

  /**
   * Resolves with the first write acknowledged after `sinceMs` (ms since start) by the server
   * at `address` (any server when omitted), or by a server the predicate accepts; rejects after timeoutMs.
   */
  async succeedsAfter(sinceMs: number, timeoutMs: number, address?: string | ((server: string) => boolean)): Promise<Attempt> {
    const accepts = (server: string) =>
      address === undefined || (typeof address === 'function' ? address(server) : server === address);
    const deadline = Date.now() + scaled(timeoutMs);
    for (;;) {
      const ok = this.attempts.find((a) => a.ok && a.at > sinceMs && accepts(a.detail));
      if (ok) return ok;
      if (Date.now() > deadline) throw new Error(`writes did not succeed again within ${timeoutMs / 1000} s`);
      await sleep(this.intervalMs);
    }
  }

  private async writeOne(): Promise<void> {
    const id = this.nextId++;
    const at = Date.now() - this.startedAt;
    try {
      const client = await this.connection();
      const result = await client.query<{ server: string }>(
        `insert into ${this.table} (id) values ($1) returning host(inet_server_addr()) as server`,
        [id],
      );
      this.attempts.push({ id, at, ok: true, detail: result.rows[0].server, ms: this.elapsed() - at });
    } catch (error) {
      this.attempts.push({ id, at, ok: false, detail: (error as Error).message, ms: this.elapsed() - at });
      const broken = this.client;
      this.client = undefined;
      // A connection to a host whose network is cut may never answer the goodbye: do not wait for it.
      if (broken) await Promise.race([broken.end().catch(() => {}), sleep(500)]);
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    await assertClusterAddress(this.target.host);
    const client = new pg.Client(clientConfig(this.target, { connectMs: 1000, queryMs: 2000 }));
    client.on('error', () => {});
    await client.connect();
    this.client = client;
    return client;
  }
}

/** The acknowledged ids that the table does not hold: acknowledged writes that were lost. */
export async function lostWrites(target: SqlTarget, table: string, acknowledged: readonly number[]): Promise<number[]> {
  if (acknowledged.length === 0) return [];
  const rows = await query<{ id: string }>(
    target,
    `select a.id from unnest($1::bigint[]) as a(id) left join ${table} t using (id) where t.id is null`,
    [acknowledged],
  );
  return rows.map((r) => Number(r.id));
}
