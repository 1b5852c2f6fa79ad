import { readFile } from 'node:fs/promises';
import type { SqlTarget } from '../clients/sql.ts';
import type { DrillRecord } from '../drill/record.ts';
import { failoverRecordPath, writeStateFile } from '../state.ts';
import type { TargetName } from '../target.ts';
import { type Attempt, lostWrites, type Writer } from './writer.ts';

/**
 * The core of every failover made while a client writes: chapter 10's failover test, chapter
 * 12's switchover through PgBouncer, and each drill of chapter 16 (DrillRecord, which adds
 * what the drill watched).
 */
export interface FailoverOutcome {
  oldLeader: string;
  newLeader: string;
  /** The table the writer filled. */
  table: string;
  /** Acknowledged ids missing on the new leader. */
  lost: number[];
}

/** Which chapter's step kept the record: `.workbook/<target>/<name>.json`. */
export type FailoverRecordName = 'failover' | 'pgbouncer-failover' | 'reliability-drill';

/**
 * What the step of chapter 10 (failover test), 12 (switchover through PgBouncer) or 16 (the
 * reliability drill) measured, kept for the summary and the figures; its presence also tells the
 * step it already ran. No check reads it: the checks judge the machines, so that a failover made
 * by hand passes them too.
 */
export interface FailoverRecord extends FailoverOutcome {
  /** When the failover was made (ISO 8601). */
  at: string;
  acknowledged: number[];
  failedWrites: number;
  /** From the fault to the first write that succeeded after it; null when none did. */
  backAfterSeconds: number | null;
  /** Chapter 16: the drill's own record (JSON, its SVG chart beside it). */
  drill?: string;
}

export { failoverRecordPath };

/**
 * The record a step kept, or undefined when it never ran. A file this version cannot read fails
 * with one line saying which file and what to do.
 */
export async function readFailoverRecord(
  target: TargetName,
  name: FailoverRecordName = 'failover',
): Promise<FailoverRecord | undefined> {
  const path = failoverRecordPath(target, name);
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  return text === undefined ? undefined : parseFailoverRecord(text, path);
}

/** Reads a record's JSON; chapter 16's files written before this type (a whole DrillRecord) are read too. */
export function parseFailoverRecord(text: string, path: string): FailoverRecord {
  const fix = `delete it, and the chapter's step measures a new failover`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not readable JSON: ${fix}`);
  }
  const v = value as Partial<FailoverRecord & DrillRecord>;
  const leaders = typeof v?.oldLeader === 'string' && typeof v.newLeader === 'string' && Array.isArray(v.lost);
  if (leaders && typeof v.at === 'string' && Array.isArray(v.acknowledged)) return v as FailoverRecord;
  if (leaders && typeof v.startedAt === 'string' && Array.isArray(v.attempts) && v.metrics)
    return failoverOfDrill(v as DrillRecord);
  throw new Error(`${path} is not a failover record: ${fix}`);
}

/** Chapter 16's record of the drill its step ran; `json` is where the drill's own record was saved. */
export function failoverOfDrill(drill: DrillRecord, json?: string): FailoverRecord {
  return {
    at: drill.startedAt,
    oldLeader: drill.oldLeader,
    newLeader: drill.newLeader,
    table: drill.table,
    acknowledged: drill.attempts.filter((a) => a.ok).map((a) => a.id),
    failedWrites: drill.attempts.filter((a) => !a.ok).length,
    backAfterSeconds: drill.metrics.backAfterSeconds,
    lost: drill.lost,
    ...(json ? { drill: json } : {}),
  };
}

export async function writeFailoverRecord(
  target: TargetName,
  record: FailoverRecord,
  name: FailoverRecordName = 'failover',
): Promise<void> {
  await writeStateFile(failoverRecordPath(target, name), `${JSON.stringify(record)}\n`);
}

/**
 * The end of a failover made while a client writes (chapters 10 and 12): stop the writer, look
 * up on the leader every write it saw acknowledged, keep the record, let the step `report` it,
 * then fail when a write is missing. The check judges the machines and cannot know which writes
 * a client saw acknowledged: the step can.
 */
export async function finishFailover(
  target: TargetName,
  writer: Writer,
  run: { oldLeader: string; newLeader: string; table: string; faultAt: number; back: Attempt; readFrom: SqlTarget },
  report: (record: FailoverRecord & { backAfterSeconds: number }) => void,
  name: FailoverRecordName = 'failover',
): Promise<FailoverRecord> {
  const attempts = await writer.stop();
  const record = {
    at: new Date().toISOString(),
    oldLeader: run.oldLeader,
    newLeader: run.newLeader,
    table: run.table,
    acknowledged: writer.acknowledged,
    failedWrites: attempts.filter((a) => !a.ok).length,
    backAfterSeconds: (run.back.at - run.faultAt) / 1000,
    lost: await lostWrites(run.readFrom, run.table, writer.acknowledged),
  };
  await writeFailoverRecord(target, record, name);
  report(record);
  const { lost } = record;
  if (lost.length)
    throw new Error(`${lost.length} acknowledged writes are missing on the leader (ids ${lost.slice(0, 10).join(', ')}…)`);
  return record;
}
