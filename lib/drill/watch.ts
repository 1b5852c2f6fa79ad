import pg from 'pg';
import { assertClusterAddress } from '../clients/guard.ts';
import { request } from '../clients/http.ts';
import type { ClusterMember } from '../clients/patroni.ts';
import { clientConfig, type SqlTarget } from '../clients/sql.ts';
import { sleep } from '../clients/wait.ts';
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

/**
 * Polls every node's GET /cluster in parallel, twice a second, and keeps each change of leader.
 * A node cut off from the others may still describe an old leader: the view most nodes share wins.
 */
export class ClusterWatch {
  readonly changes: LeaderSample[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<LeaderSample[]> {
    this.running = false;
    await this.loop;
    return this.changes;
  }

  /** When a node other than `oldLeader` first led after `sinceMs`. */
  promotedAt(oldLeader: string, sinceMs: number): LeaderSample | undefined {
    return this.changes.find((c) => c.at >= sinceMs && c.leader !== undefined && c.leader !== oldLeader);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const tick = Date.now();
      const sample = await this.sample();
      const last = this.changes.at(-1);
      if (
        !last ||
        last.leader !== sample.leader ||
        last.timeline !== sample.timeline ||
        (last.answered === 0) !== (sample.answered === 0)
      )
        this.changes.push(sample);
      const wait = this.intervalMs - (Date.now() - tick);
      if (wait > 0) await sleep(wait);
    }
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
export class PrimaryProbe {
  readonly changes: StateSample[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly target: SqlTarget,
    private readonly clock: () => number,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<StateSample[]> {
    this.running = false;
    await this.loop;
    return this.changes;
  }

  /** The state seen last. */
  get state(): PostgresState | undefined {
    return this.changes.at(-1)?.state;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const tick = Date.now();
      const at = this.clock();
      const state = await this.ask();
      if (this.changes.at(-1)?.state !== state) this.changes.push({ at, state });
      const wait = this.intervalMs - (Date.now() - tick);
      if (wait > 0) await sleep(wait);
    }
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
