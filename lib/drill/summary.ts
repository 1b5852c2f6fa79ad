import { drillHeadline, drillTitle } from './chart.ts';
import type { DrillRecord } from './record.ts';

const s = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(1)} s`);

/** The terminal summary of one drill. */
export function drillSummary(r: DrillRecord, files?: { json: string; svg: string }): string[] {
  const m = r.metrics;
  const rel = (ms: number | undefined) =>
    ms === undefined ? '—' : `${ms >= r.marks.faultAt ? '+' : ''}${((ms - r.marks.faultAt) / 1000).toFixed(1)} s`;
  const firstOld = r.oldLeaderStates.find((st) => st.at >= r.marks.faultAt && st.state !== 'primary');
  const lines = [
    '',
    `drill: ${drillTitle(r)}  (target: ${r.target})`,
    `  fault              ${r.what} — on ${r.victims.join(', ')}`,
    `  timings            ttl ${r.timings.ttl} s, loop_wait ${r.timings.loopWait} s, retry_timeout ${r.timings.retryTimeout} s; HAProxy inter ${r.timings.haproxy.inter} fall ${r.timings.haproxy.fall} rise ${r.timings.haproxy.rise}${r.holdSeconds ? `; fault held ${r.holdSeconds} s` : ''}`,
    `  writes back after  ${m.writesNeverStopped ? 'writes never stopped' : m.backAfterSeconds === null ? 'NEVER (within the drill)' : s(m.backAfterSeconds)}${m.writesDownSeconds ? `   (failing for ${s(m.writesDownSeconds)})` : ''}`,
    `  writes             ${m.attempts} attempted, ${m.acknowledged} acknowledged, ${m.failed} failed`,
    `  acked writes lost  ${r.lost.length}${r.lost.length ? `  (ids ${r.lost.slice(0, 10).join(', ')}${r.lost.length > 10 ? ', …' : ''})` : ''}`,
    `  split-brain window ${m.splitBrainWindowSeconds === null ? '— (the leadership did not move)' : `${s(m.splitBrainWindowSeconds)}: ${m.oldLeaderAcksAfterFault} write${m.oldLeaderAcksAfterFault === 1 ? '' : 's'} acknowledged by ${r.oldLeader} after the fault, ${m.oldLeaderAcksAfterPromotion} after ${r.newLeader} took the leader key`}`,
  ];
  if (r.oldLeaderStates.length) {
    lines.push(
      `  old leader, direct ${r.oldLeaderStates.map((st) => `${st.state} ${rel(st.at)}`).join(' → ')}${firstOld ? '' : ' (still a primary at the end)'}`,
    );
    if (m.twoPrimariesSeconds)
      lines.push(
        `  two primaries      ${s(m.twoPrimariesSeconds)}: ${r.oldLeader} still answered as a writable primary after ${r.newLeader} was promoted${firstOld && r.marks.healAt !== undefined && firstOld.at > r.marks.healAt ? ', until the drill started its Patroni again' : ''} (only HAProxy kept clients away)`,
      );
  }
  if (m.latencyBefore && m.latencyDuring)
    lines.push(
      `  commit latency     median ${m.latencyBefore.p50} ms, max ${m.latencyBefore.max} ms before the fault; median ${m.latencyDuring.p50} ms, max ${m.latencyDuring.max} ms while it lasted`,
    );
  if (r.options.fault === 'etcd-down') {
    lines.push(
      `  during the outage  ${m.failingAtHeal ? 'the leader had stopped taking writes (it demoted itself)' : 'the leader kept taking writes'}`,
    );
  }
  lines.push(
    `  marks              fault +0.0 s, new leader ${rel(r.marks.promotedAt)}, healed ${rel(r.marks.healAt)}, healthy ${rel(r.marks.healthyAt)}`,
    `  leader now         ${r.newLeader} (was ${r.oldLeader}), timeline ${r.timelineBefore ?? '?'} → ${r.timelineAfter ?? '?'}`,
    `  cluster            ${r.healthy ? 'healthy, every node back' : 'NOT healthy at the end: see the notes'}; settings ${r.restored ? 'restored to the guide profile' : r.options.keep ? 'kept (--keep)' : 'NOT restored: see the notes'}`,
  );
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (files) lines.push(`  record             ${files.json}`, `  chart              ${files.svg}`);
  lines.push(`  ${drillHeadline(r)}`);
  return lines;
}
