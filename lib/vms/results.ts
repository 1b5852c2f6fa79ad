import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, hostname, release, totalmem } from 'node:os';
import { $ } from 'zx';
import { ROOT } from '../paths.ts';
import type { PhaseRecord } from './phases.ts';

/** One run of `npm run test:vms`, kept in bench/results/ as JSON and as a short markdown table. */
export interface VmsRunRecord {
  date: string;
  command: string;
  passed: boolean;
  furthest: string;
  accelerator: string;
  acceleratorWhy: string;
  timeScale: number;
  machine: { cpu: string; cores: number; memoryGiB: number; kernel: string; hostname: string };
  commit: string;
  aptProxy?: { requests: number; megabytes: number; refused: number };
  phases: PhaseRecord[];
  notes: string[];
  /**
   * `--by-hand`: the chapters this run was to type by hand (`npm run chapter N -- --by-hand`), as
   * ranges (`5-16`: a string, so that the JSON stays as biome formats it); the others ran by their steps.
   */
  typedByHand?: string;
}

export async function machineInfo(): Promise<VmsRunRecord['machine']> {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    hostname: hostname(),
  };
}

export async function gitCommit(): Promise<string> {
  const head = await $({ quiet: true, nothrow: true, cwd: ROOT })`git rev-parse --short HEAD`;
  const dirty = await $({ quiet: true, nothrow: true, cwd: ROOT })`git status --porcelain --untracked-files=no`;
  return `${head.stdout.trim() || 'unknown'}${dirty.stdout.trim() ? '+changes' : ''}`;
}

export function markdown(record: VmsRunRecord): string {
  const rows = record.phases.map(
    (p) =>
      `| ${p.ok ? '✔' : '✘'} | ${p.part ? '&nbsp;&nbsp;' : ''}${p.name.replaceAll('|', '\\|')} | ${p.seconds.toFixed(1)} | ${(p.note ?? (p.error ? p.error.split('\n')[0] : '')).replaceAll('|', '\\|')} |`,
  );
  const total = record.phases.filter((p) => !p.part).reduce((s, p) => s + p.seconds, 0);
  const proxy = record.aptProxy
    ? `${record.aptProxy.requests} requests, ${record.aptProxy.megabytes.toFixed(1)} MB (${record.aptProxy.refused} refused)`
    : 'not started';
  return [
    `# test:vms, ${record.date.slice(0, 10)}: ${record.passed ? 'green' : `stopped at: ${record.furthest}`}`,
    '',
    `- command: \`${record.command}\``,
    `- accelerator: ${record.accelerator} (${record.acceleratorWhy}); WORKBOOK_TIME_SCALE ${record.timeScale}`,
    `- machine: ${record.machine.cpu}, ${record.machine.cores} cores, ${record.machine.memoryGiB} GiB, Linux ${record.machine.kernel}`,
    `- date: ${record.date}; commit ${record.commit}`,
    `- apt proxy (what the VMs downloaded): ${proxy}`,
    record.typedByHand
      ? `- chapters typed by hand (\`npm run chapter N -- --by-hand\`): ${record.typedByHand || 'none'}; the others ran by their steps (see each chapter's row)`
      : '- chapters: by their steps (no --by-hand)',
    '',
    '| | phase | seconds | note |',
    '|---|---|---:|---|',
    ...rows,
    `| | **total** | ${total.toFixed(1)} | |`,
    '',
    ...(record.notes.length ? ['## Notes', '', ...record.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}

/**
 * Where records go: bench/results/, to be kept in the repository; `npm test` sends its routine
 * `--box-only` runs elsewhere (WORKBOOK_VMS_RECORDS=artifacts/vms), so that testing leaves git clean.
 */
export const RECORDS_DIR = process.env.WORKBOOK_VMS_RECORDS || `${ROOT}/bench/results`;

/** Writes <RECORDS_DIR>/vms-<date>-<hhmm>-<accelerator>.{json,md}; returns the two paths. */
export async function saveRecord(record: VmsRunRecord, dir = RECORDS_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stem = `${dir}/vms-${record.date.slice(0, 10)}-${record.date.slice(11, 16).replace(':', '')}-${record.accelerator}${record.command.includes('--box-only') ? '-box-only' : ''}`;
  await writeFile(`${stem}.json`, `${JSON.stringify(record, null, 2)}\n`);
  await writeFile(`${stem}.md`, markdown(record));
  return [`${stem}.json`, `${stem}.md`];
}
