import pg from 'pg';
import { assertClusterAddress } from '../clients/guard.ts';
import { request } from '../clients/http.ts';
import type { ClusterMember } from '../clients/patroni.ts';
import { clientConfig, type SqlTarget } from '../clients/sql.ts';
import { PollLoop, sleep } from '../clients/wait.ts';
import { PORTS, POSTGRES_NODES } from '../ip-plan.ts';

/** What Patroni said about the leader at one moment (ms on the writer's clock). */
export interface LeaderSample {
  at: number;
  /** Undefined while no node answers or the cluster has no leader. */
  leader?: string;
  timeline?: number;
  /** How many nodes answered GET /cluster (0: none did, so "no leader" means "nobody knows"). */
  answered?: number;
}

/** A poll loop that keeps what changed: each tick adds a sample when it differs from the last. */
abstract class Watcher<T> {
  readonly changes: T[] = [];
  private readonly loop: PollLoop;

  constructor(intervalMs: number) {
    this.loop = new PollLoop(() => this.tick(), intervalMs);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<T[]> {
    await this.loop.stop();
    return this.changes;
  }

  protected abstract tick(): Promise<void>;
}

/**
 * Polls every node's GET /cluster in parallel, twice a second, and keeps each change of leader.
 * A node cut off from the others may still describe an old leader: the view most nodes share wins.
 */
export class ClusterWatch extends Watcher<LeaderSample> {
  constructor(
    private readonly clock: () => number,
    intervalMs = 500,
  ) {
    super(intervalMs);
  }

  /** When a node other than `oldLeader` first led after `sinceMs`. */
  promotedAt(oldLeader: string, sinceMs: number): LeaderSample | undefined {
    return this.changes.find((c) => c.at >= sinceMs && c.leader !== undefined && c.leader !== oldLeader);
  }

  protected async tick(): Promise<void> {
    const sample = await this.sample();
    const last = this.changes.at(-1);
    if (
      !last ||
      last.leader !== sample.leader ||
      last.timeline !== sample.timeline ||
      (last.answered === 0) !== (sample.answered === 0)
    )
      this.changes.push(sample);
  }

  private async sample(): Promise<LeaderSample> {
    const at = this.clock();
    const views = await Promise.all(
      POSTGRES_NODES.map(async (n) => {
        const res = await request(n.address, PORTS.patroniApi, '/cluster', { timeoutMs: 1000 });
        if (res.status !== 200) return undefined;
        const leader = res.json<{ members: ClusterMember[] }>().members.find((m) => m.role === 'leader');
        return { leader: leader?.name, timeline: leader?.timeline };
      }),
    );
    const counts = new Map<string, { n: number; view: { leader?: string; timeline?: number } }>();
    for (const v of views) {
      if (!v) continue;
      const key = `${v.leader}/${v.timeline}`;
      counts.set(key, { n: (counts.get(key)?.n ?? 0) + 1, view: v });
    }
    const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
    return { at, ...best?.view, answered: views.filter(Boolean).length };
  }
}

export type PostgresState = 'primary' | 'read-only' | 'down';

export interface StateSample {
  at: number;
  state: PostgresState;
}

/**
 * Asks one node's PostgreSQL directly, not through HAProxy, twice a second: is it a primary
 * that takes writes, read-only, or not answering? After a fault on the leader this shows how
 * long the old primary stayed writable for a client that still reached it.
 */
export class PrimaryProbe extends Watcher<StateSample> {
  constructor(
    private readonly target: SqlTarget,
    private readonly clock: () => number,
    intervalMs = 500,
  ) {
    super(intervalMs);
  }

  /** The state seen last. */
  get state(): PostgresState | undefined {
    return this.changes.at(-1)?.state;
  }

  protected async tick(): Promise<void> {
    const at = this.clock();
    const state = await this.ask();
    if (this.changes.at(-1)?.state !== state) this.changes.push({ at, state });
  }

  private async ask(): Promise<PostgresState> {
    await assertClusterAddress(this.target.host);
    const client = new pg.Client(clientConfig(this.target, { connectMs: 1000, queryMs: 1000 }));
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ ro: boolean }>('select pg_is_in_recovery() as ro');
      return rows[0].ro ? 'read-only' : 'primary';
    } catch {
      return 'down';
    } finally {
      // A host whose link is down never answers the goodbye.
      await Promise.race([client.end().catch(() => {}), sleep(300)]);
    }
  }
}
