import { readFile } from 'node:fs/promises';
import type { FailoverOutcome } from '../cluster/failover-record.ts';
import type { Attempt } from '../cluster/writer.ts';
import type { Timings } from '../config/timings.ts';
import { drillsDir, writeStateFile } from '../state.ts';
import type { TargetName } from '../target.ts';
import type { DrillMarks, DrillMetrics } from './analyze.ts';
import { renderDrillChart } from './chart.ts';
import { type DrillOptions, drillSlug } from './options.ts';
import type { LeaderSample, StateSample } from './watch.ts';

/** Everything one drill saw: the JSON record the chart, the bench and the chapter's check read. */
export interface DrillRecord extends FailoverOutcome {
  version: 1;
  slug: string;
  target: TargetName;
  startedAt: string;
  options: Pick<DrillOptions, 'fault' | 'profile' | 'sync' | 'failsafe' | 'keep'>;
  /** The fault as a sentence, and where it struck. */
  what: string;
  victims: string[];
  timings: Timings;
  holdSeconds?: number;
  timelineBefore?: number;
  timelineAfter?: number;
  marks: DrillMarks;
  metrics: DrillMetrics;
  /** Every write attempt: id, ms on the writer's clock, acknowledged, and the server address or the error. */
  attempts: Attempt[];
  leaderChanges: LeaderSample[];
  /** The old leader's PostgreSQL asked directly (leader faults only). */
  oldLeaderStates: StateSample[];
  /** The cluster was healthy again at the end, with every node back. */
  healthy: boolean;
  /** Settings put back afterwards; false with --keep. */
  restored: boolean;
  /** Anything that went wrong on the way (a wait that timed out), for the summary. */
  notes: string[];
}

export { drillsDir };

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** Writes the record as JSON and its chart as SVG beside it; returns both paths. */
export async function saveDrill(record: DrillRecord): Promise<{ json: string; svg: string }> {
  const dir = drillsDir(record.target);
  const base = `${dir}/${stamp(record.startedAt)}-${record.slug}`;
  await writeStateFile(`${base}.json`, `${JSON.stringify(record)}\n`);
  await writeStateFile(`${base}.svg`, renderDrillChart(record));
  return { json: `${base}.json`, svg: `${base}.svg` };
}

export async function readDrill(path: string): Promise<DrillRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DrillRecord;
  } catch {
    return undefined;
  }
}

export { drillSlug };
