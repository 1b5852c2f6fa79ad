/**
 * `npm run bench:failover`: the failover figures, not assertions. Every fault × profile (and,
 * with --variants, synchronous_mode or failsafe_mode), each run --runs times (default 3) on a
 * healthy cluster: writes back after (median), acknowledged writes lost (all runs together),
 * the split-brain window (median), how long the old primary stayed writable when asked
 * directly, and the commit latency. The guide settings are restored at the end.
 * Targets (issue 5): fast profile graceful ≤ 5 s, crash and netcut ≤ 12 s; 0 lost in sync mode.
 *
 *   npm run bench:failover -- [--runs 3] [--profiles guide,fast] [--faults crash,netcut]
 *                             [--variants async,sync,failsafe] [--site]
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { waitHealthy } from '../lib/cluster/health.ts';
import { FAULT_NAMES, type FaultName, PROFILE_NAMES, type ProfileName, parseFault, parseProfile } from '../lib/drill/options.ts';
import { type DrillRecord, drillsDir, saveDrill } from '../lib/drill/record.ts';
import { restoreGuideSettings, runDrill } from '../lib/drill/run.ts';
import { ROOT } from '../lib/paths.ts';
import { loadSecrets } from '../lib/secrets.ts';
import { openTarget } from '../lib/target.ts';

const VARIANTS = ['async', 'sync', 'failsafe'] as const;
type Variant = (typeof VARIANTS)[number];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const list = <T>(name: string, all: readonly T[], parse: (s: string) => T): T[] =>
  option(name)
    ?.split(',')
    .map((s) => parse(s.trim())) ?? [...all];

const runs = Number(option('runs') ?? 3);
const profiles = list<ProfileName>('profiles', PROFILE_NAMES, parseProfile);
const faults = list<FaultName>('faults', FAULT_NAMES, parseFault);
const variants = list<Variant>('variants', ['async'], (s) => {
  if (!(VARIANTS as readonly string[]).includes(s)) throw new Error(`unknown variant "${s}": choose from ${VARIANTS.join(', ')}`);
  return s as Variant;
});
const toSite = process.argv.includes('--site');

const target = await openTarget('lab');
await target.assertUp();
const secrets = await loadSecrets(target.name);
const started = Date.now();

interface Cell {
  profile: ProfileName;
  fault: FaultName;
  variant: Variant;
  records: DrillRecord[];
  errors: string[];
}

const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f1 = (n: number | undefined | null) => (n === undefined || n === null ? '—' : n.toFixed(1));

const cells: Cell[] = [];
for (const profile of profiles) {
  for (const variant of variants) {
    for (const fault of faults) {
      if (variant === 'failsafe' && fault !== 'etcd-down') continue;
      const cell: Cell = { profile, fault, variant, records: [], errors: [] };
      cells.push(cell);
      for (let run = 1; run <= runs; run++) {
        const label = `${fault} · ${profile} · ${variant} · run ${run}/${runs}`;
        const t = Date.now();
        try {
          const record = await runDrill(
            { fault, profile, sync: variant === 'sync', failsafe: variant === 'failsafe', keep: true, target: target.name },
            target,
            secrets,
            () => {},
          );
          const files = await saveDrill(record);
          cell.records.push(record);
          if (toSite && run === 1) {
            await mkdir(`${ROOT}/site/drills`, { recursive: true });
            await copyFile(files.svg, `${ROOT}/site/drills/${record.slug}.svg`);
          }
          const m = record.metrics;
          console.log(
            `${label}: back after ${m.writesNeverStopped ? 'never stopped' : `${f1(m.backAfterSeconds)} s`}, lost ${record.lost.length}, split-brain ${f1(m.splitBrainWindowSeconds)} s, ${record.oldLeader} → ${record.newLeader}${record.healthy ? '' : ' NOT HEALTHY'} (${((Date.now() - t) / 1000).toFixed(0)} s)`,
          );
          if (!record.healthy) throw new Error(record.notes.join('; '));
        } catch (error) {
          const message = (error as Error).message.split('\n')[0];
          cell.errors.push(message);
          console.log(`${label}: FAILED: ${message}`);
          await waitHealthy(180000); // a bench that cannot get a healthy cluster back stops here
        }
      }
    }
  }
}
await restoreGuideSettings(target, secrets);

const header =
  '| fault | profile | mode | back after (median) | runs | acked writes lost | split-brain window (median) | old primary writable, direct (median) | commit p50 → max during fault |';
const rows = cells.map((c) => {
  const ms = c.records.map((r) => r.metrics);
  const back = ms.every((m) => m.writesNeverStopped)
    ? 'never stopped'
    : `${f1(median(ms.flatMap((m) => (m.backAfterSeconds === null ? [] : [m.backAfterSeconds]))))} s (${ms.map((m) => (m.writesNeverStopped ? '0' : f1(m.backAfterSeconds))).join(' / ')})`;
  const afterHeal = median(ms.flatMap((m) => (m.backAfterHealSeconds === null ? [] : [m.backAfterHealSeconds])));
  const stopped = median(ms.flatMap((m) => (m.stoppedAfterSeconds === null ? [] : [m.stoppedAfterSeconds])));
  const hold =
    afterHeal !== undefined && c.records[0]?.holdSeconds
      ? `; held ${c.records[0].holdSeconds} s, writes stopped at +${f1(stopped)} s, back ${f1(afterHeal)} s after the heal`
      : '';
  const split = ms.some((m) => m.splitBrainWindowSeconds !== null)
    ? `${f1(median(ms.flatMap((m) => (m.splitBrainWindowSeconds === null ? [] : [m.splitBrainWindowSeconds]))))} s`
    : '—';
  const writable = ms.some((m) => typeof m.oldPrimaryWritableSeconds === 'number')
    ? `${f1(median(ms.flatMap((m) => (typeof m.oldPrimaryWritableSeconds === 'number' ? [m.oldPrimaryWritableSeconds] : []))))} s`
    : '—';
  const lat = median(ms.flatMap((m) => (m.latencyDuring ? [m.latencyDuring.p50] : [])));
  const latMax = Math.max(0, ...ms.flatMap((m) => (m.latencyDuring ? [m.latencyDuring.max] : [])));
  const lost = c.records.reduce((n, r) => n + r.lost.length, 0);
  return `| ${c.fault} | ${c.profile} | ${c.variant} | ${back}${hold} | ${c.records.length}${c.errors.length ? ` (+${c.errors.length} failed)` : ''} | ${lost} | ${split} | ${writable} | ${lat ?? '—'} → ${latMax} ms |`;
});
const table = [header, `|${'---|'.repeat(9)}`, ...rows].join('\n');
console.log(`\n${table}\n`);
console.log(`${cells.reduce((n, c) => n + c.records.length, 0)} drills in ${((Date.now() - started) / 60000).toFixed(1)} min`);
const errors = cells.flatMap((c) => c.errors.map((e) => `${c.fault}/${c.profile}/${c.variant}: ${e}`));
for (const e of errors) console.log(`failed: ${e}`);
const out = `${drillsDir(target.name)}/bench-${new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z')}.md`;
await writeFile(out, `${table}\n`);
console.log(`table written to ${out}`);
