import type { Attempt } from '../cluster/writer.ts';
import type { StateSample } from './watch.ts';

/** Moments of a drill, in ms on the writer's clock. */
export interface DrillMarks {
  faultAt: number;
  /** When a node other than the old leader first held the leader key. */
  promotedAt?: number;
  healAt?: number;
  healthyAt?: number;
}

export interface Outage {
  /** First failed attempt of the run. */
  from: number;
  /** First acknowledged attempt after it; undefined when writes never came back. */
  to?: number;
  failed: number;
}

export interface DrillMetrics {
  attempts: number;
  acknowledged: number;
  failed: number;
  /** Runs of failed writes after the fault, in order. */
  outages: Outage[];
  /** Writes failed at no time between the fault and its healing. */
  writesNeverStopped: boolean;
  /**
   * From the fault until writes succeed again: the end of the last outage that began before
   * the fault was healed. 0 when writes never stopped; null when they never came back.
   */
  backAfterSeconds: number | null;
  /** From the first failed write to the first successful one after it (that outage's length). */
  writesDownSeconds: number | null;
  /** When that outage began, from the fault: how long the leader kept taking writes (etcd-down). */
  stoppedAfterSeconds: number | null;
  /** From the heal to writes succeeding again, when they were still failing at the heal. */
  backAfterHealSeconds: number | null;
  /** Writes were failing at the moment the fault was healed (etcd-down without failsafe: the leader had stepped down). */
  failingAtHeal: boolean;
  /** Acknowledged by the old leader's address after the fault. */
  oldLeaderAcksAfterFault: number;
  /**
   * From the fault to the last write the old leader acknowledged after it: the window in
   * which an old primary still accepted writes. null when the leadership did not move.
   */
  splitBrainWindowSeconds: number | null;
  /** Old-leader acknowledgements after another node already held the leader key: two primaries taking writes. */
  oldLeaderAcksAfterPromotion: number;
  /**
   * Asked directly (not through HAProxy): from the fault until the old leader's PostgreSQL stopped
   * answering as a writable primary. null when it still did at the end, undefined when not probed.
   */
  oldPrimaryWritableSeconds?: number | null;
  /** How long the old leader still answered as a primary after another node was promoted: two primaries. */
  twoPrimariesSeconds?: number;
  /** Acknowledged writes' duration before the fault and from the fault to the heal: median and maximum (ms). */
  latencyBefore?: { p50: number; max: number };
  latencyDuring?: { p50: number; max: number };
}

function latency(attempts: readonly Attempt[]): { p50: number; max: number } | undefined {
  const ms = attempts.flatMap((a) => (a.ok && a.ms !== undefined ? [a.ms] : [])).sort((a, b) => a - b);
  if (ms.length === 0) return undefined;
  return { p50: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** Figures from the writer's attempts and the drill's marks: pure, so the bench and the tests share them. */
export function analyzeDrill(
  attempts: readonly Attempt[],
  marks: DrillMarks,
  oldLeaderAddress: string | undefined,
  leadershipMoved: boolean,
  oldLeaderStates?: readonly StateSample[],
): DrillMetrics {
  const after = attempts.filter((a) => a.at >= marks.faultAt).sort((a, b) => a.at - b.at);
  const outages: Outage[] = [];
  let open: Outage | undefined;
  for (const a of after) {
    if (!a.ok) {
      if (!open) {
        open = { from: a.at, failed: 0 };
        outages.push(open);
      }
      open.failed++;
    } else if (open) {
      open.to = a.at;
      open = undefined;
    }
  }
  const healAt = marks.healAt ?? Number.POSITIVE_INFINITY;
  const beforeHeal = outages.filter((o) => o.from < healAt);
  const main = beforeHeal.at(-1);
  const lastBeforeHeal = after.filter((a) => a.at < healAt).at(-1);
  const oldAcks = oldLeaderAddress ? after.filter((a) => a.ok && a.detail === oldLeaderAddress) : [];
  const lastOld = oldAcks.at(-1);
  const stoppedBeingPrimary = oldLeaderStates?.find((st) => st.at >= marks.faultAt && st.state !== 'primary');
  const oldPrimaryUntil = oldLeaderStates?.length ? (stoppedBeingPrimary?.at ?? null) : undefined;
  return {
    attempts: attempts.length,
    acknowledged: attempts.filter((a) => a.ok).length,
    failed: attempts.filter((a) => !a.ok).length,
    outages,
    writesNeverStopped: beforeHeal.length === 0,
    backAfterSeconds: !main ? 0 : main.to === undefined ? null : seconds(main.to - marks.faultAt),
    writesDownSeconds: !main ? 0 : main.to === undefined ? null : seconds(main.to - main.from),
    stoppedAfterSeconds: main ? seconds(main.from - marks.faultAt) : null,
    backAfterHealSeconds:
      main?.to !== undefined && marks.healAt !== undefined && main.to > marks.healAt ? seconds(main.to - marks.healAt) : null,
    failingAtHeal: marks.healAt !== undefined && lastBeforeHeal !== undefined && !lastBeforeHeal.ok,
    oldLeaderAcksAfterFault: oldAcks.length,
    splitBrainWindowSeconds: !leadershipMoved ? null : lastOld ? seconds(lastOld.at - marks.faultAt) : 0,
    oldLeaderAcksAfterPromotion:
      marks.promotedAt === undefined ? 0 : oldAcks.filter((a) => a.at >= (marks.promotedAt as number)).length,
    oldPrimaryWritableSeconds:
      oldPrimaryUntil === undefined ? undefined : oldPrimaryUntil === null ? null : seconds(oldPrimaryUntil - marks.faultAt),
    twoPrimariesSeconds:
      typeof oldPrimaryUntil === 'number' && marks.promotedAt !== undefined
        ? seconds(Math.max(0, oldPrimaryUntil - marks.promotedAt))
        : undefined,
    latencyBefore: latency(attempts.filter((a) => a.at < marks.faultAt)),
    latencyDuring: latency(after.filter((a) => a.at < healAt)),
  };
}
