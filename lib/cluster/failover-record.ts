import { readFile } from 'node:fs/promises';
import type { SqlTarget } from '../clients/sql.ts';
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

/**
 * What chapter 10's failover test (and chapter 12's switchover) measured, kept for the summary
 * and the figures. No check reads it: the checks judge the machines, so that a failover made by
 * hand passes them too.
 */
export interface FailoverRecord extends FailoverOutcome {
  at: string;
  acknowledged: number[];
  failedWrites: number;
  backAfterSeconds: number;
}

export { failoverRecordPath };

export async function readFailoverRecord(target: TargetName, name = 'failover'): Promise<FailoverRecord | undefined> {
  try {
    return JSON.parse(await readFile(failoverRecordPath(target, name), 'utf8')) as FailoverRecord;
  } catch {
    return undefined;
  }
}

export async function writeFailoverRecord(target: TargetName, record: FailoverRecord, name = 'failover'): Promise<void> {
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
  report: (record: FailoverRecord) => void,
  name = 'failover',
): Promise<FailoverRecord> {
  const attempts = await writer.stop();
  const record: FailoverRecord = {
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
