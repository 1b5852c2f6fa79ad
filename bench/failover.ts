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
 *   npm run bench:failover -- --table-since 2026-11-25T23:00:00Z   (the table of the records saved since then, [--table-until ISO]; --compact for the chapter's)
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { parsedOrExit } from '../lib/cli/errors.ts';
import { waitHealthy } from '../lib/cluster/health.ts';
import { benchTable } from '../lib/drill/bench-table.ts';
import { FAULT_NAMES, type FaultName, PROFILE_NAMES, type ProfileName, parseFault, parseProfile } from '../lib/drill/options.ts';
import { type DrillRecord, drillsDir, readDrill, saveDrill } from '../lib/drill/record.ts';
import { restoreGuideSettings, runDrill } from '../lib/drill/run.ts';
import { parseCommandLine, wholeNumber } from '../lib/parse-args.ts';
import { ROOT } from '../lib/paths.ts';
import { holdRunLock } from '../lib/run-lock.ts';
import { loadSecrets } from '../lib/secrets.ts';
import { openTarget } from '../lib/target.ts';
import { UsageError } from '../lib/usage-error.ts';

const VARIANTS = ['async', 'sync', 'failsafe'] as const;
type Variant = (typeof VARIANTS)[number];

const USAGE =
  'usage: npm run bench:failover -- [--runs N] [--profiles guide,fast] [--faults crash,netcut] [--variants async,sync,failsafe] [--site]   |   npm run bench:failover -- --table-since ISO [--table-until ISO] [--compact]';
const { values } = parsedOrExit(() =>
  parseCommandLine(
    process.argv.slice(2),
    {
      runs: { type: 'string' },
      profiles: { type: 'string' },
      faults: { type: 'string' },
      variants: { type: 'string' },
      site: { type: 'boolean' },
      'table-since': { type: 'string' },
      'table-until': { type: 'string' },
      compact: { type: 'boolean' },
    },
    USAGE,
    { positionals: false },
  ),
);
const list = <T>(name: 'profiles' | 'faults' | 'variants', all: readonly T[], parse: (s: string) => T): T[] =>
  values[name]?.split(',').map((s) => parse(s.trim())) ?? [...all];

const { runs, profiles, faults, variants } = parsedOrExit(() => ({
  runs: wholeNumber('runs', values.runs, 1, 100, 3),
  profiles: list<ProfileName>('profiles', PROFILE_NAMES, parseProfile),
  faults: list<FaultName>('faults', FAULT_NAMES, parseFault),
  variants: list<Variant>('variants', ['async'], (s) => {
    if (!(VARIANTS as readonly string[]).includes(s))
      throw new UsageError(`unknown variant "${s}": choose from ${VARIANTS.join(', ')}`);
    return s as Variant;
  }),
}));
const toSite = values.site === true;

// `--table-since ISO`: rebuild the table from the drill records saved since then (several bench runs in one table).
const since = values['table-since'];
const until = values['table-until'] ?? '9999';
if (since) {
  const dir = drillsDir('lab');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.startsWith('bench-'));
  const records = (await Promise.all(files.map((f) => readDrill(`${dir}/${f}`)))).filter(
    (r): r is DrillRecord => r !== undefined && r.version === 1 && r.startedAt >= since && r.startedAt <= until,
  );
  const compact = values.compact === true;
  console.log(`${benchTable(records, { compact })}\n\n${records.length} drills since ${since}`);
  process.exit(0);
}

await holdRunLock('lab');
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

const f1 = (n: number | undefined | null) => (n === undefined || n === null ? '—' : n.toFixed(1));

const cells: Cell[] = [];
// The runs keep the profile between them (--keep); whatever happens, the guide settings come back.
try {
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
} finally {
  await restoreGuideSettings(target, secrets);
}

const table = benchTable(cells.flatMap((c) => c.records));
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
