import { FAULT_NAMES, PROFILE_NAMES } from './options.ts';
import type { DrillRecord } from './record.ts';

const f1 = (n: number | undefined | null) => (n === undefined || n === null ? '—' : n.toFixed(1));

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const numbers = (xs: readonly (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number');

export const modeOf = (r: DrillRecord) => (r.options.sync ? 'sync' : r.options.failsafe ? 'failsafe' : 'async');

/**
 * The bench's table, one row per fault × profile × mode, from drill records: back after
 * (median, then every run), acknowledged writes lost (all runs), the split-brain window
 * (median), how long the old primary answered as writable when asked directly, the median
 * commit before the fault and the slowest acknowledged commit while it lasted.
 */
export function benchTable(records: readonly DrillRecord[], { compact = false }: { compact?: boolean } = {}): string {
  const groups = new Map<string, DrillRecord[]>();
  for (const r of records) {
    const key = `${r.options.fault}|${r.options.profile}|${modeOf(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const order = (key: string) => {
    const [fault, profile, mode] = key.split('|');
    return (
      PROFILE_NAMES.indexOf(profile as never) * 1000 +
      ['async', 'sync', 'failsafe'].indexOf(mode) * 100 +
      FAULT_NAMES.indexOf(fault as never)
    );
  };
  const rows = [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([key, rs]) => {
      const [fault, profile, mode] = key.split('|');
      const ms = rs.map((r) => r.metrics);
      const runs = ms.map((m) => (m.writesNeverStopped ? '0' : f1(m.backAfterSeconds))).join(' / ');
      let back = ms.every((m) => m.writesNeverStopped)
        ? 'never stopped'
        : `**${f1(median(numbers(ms.map((m) => m.backAfterSeconds))))} s**${compact ? '' : ` (${runs})`}`;
      const afterHeal = median(numbers(ms.map((m) => m.backAfterHealSeconds)));
      const stopped = f1(median(numbers(ms.map((m) => m.stoppedAfterSeconds))));
      if (afterHeal !== undefined && rs[0].holdSeconds !== undefined)
        back += compact
          ? `: stopped at +${stopped} s, back ${f1(afterHeal)} s after the heal`
          : `: down from +${stopped} s, fault healed at +${f1(median(rs.map((r) => ((r.marks.healAt ?? 0) - r.marks.faultAt) / 1000)))} s, writes back ${f1(afterHeal)} s later`;
      const split = ms.some((m) => m.splitBrainWindowSeconds !== null)
        ? `${f1(median(numbers(ms.map((m) => m.splitBrainWindowSeconds))))} s`
        : '—';
      const writable =
        fault === 'netcut'
          ? 'cut off'
          : ms.some((m) => typeof m.oldPrimaryWritableSeconds === 'number')
            ? `${f1(median(numbers(ms.map((m) => m.oldPrimaryWritableSeconds))))} s`
            : '—';
      const before = median(numbers(ms.map((m) => m.latencyBefore?.p50)));
      const worst = Math.max(0, ...numbers(ms.map((m) => m.latencyDuring?.max)));
      const lost = rs.reduce((n, r) => n + r.lost.length, 0);
      if (compact) return `| ${fault} | ${profile} | ${mode} | ${back} | ${lost} | ${split} | ${writable} |`;
      return `| ${fault} | ${profile} | ${mode} | ${back} | ${rs.length} | ${lost} | ${split} | ${writable} | ${before ?? '—'} ms / ${worst} ms |`;
    });
  if (compact)
    return [
      '| fault | profile | mode | writes back after | acked writes lost | split-brain window | old primary writable (direct) |',
      `|${'---|'.repeat(7)}`,
      ...rows,
    ].join('\n');
  return [
    '| fault | profile | mode | writes back after (median; each run) | runs | acked writes lost | split-brain window | old primary writable (direct) | commit: median before / slowest during |',
    `|${'---|'.repeat(9)}`,
    ...rows,
  ].join('\n');
}
