import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { type TargetName, targetStateDir } from '../target.ts';

/**
 * What chapter 10's failover test measured, kept for the summary and the figures. No check reads
 * it: the checks judge the machines, so that a failover made by hand passes them too.
 */
export interface FailoverRecord {
  at: string;
  oldLeader: string;
  newLeader: string;
  table: string;
  acknowledged: number[];
  failedWrites: number;
  backAfterSeconds: number;
  lost: number[];
}

/** Chapter 10 keeps its record as `failover`; chapter 12 (through PgBouncer) as `pgbouncer-failover`. */
export const failoverRecordPath = (target: TargetName, name = 'failover') => `${targetStateDir(target)}/${name}.json`;

export async function readFailoverRecord(target: TargetName, name = 'failover'): Promise<FailoverRecord | undefined> {
  try {
    return JSON.parse(await readFile(failoverRecordPath(target, name), 'utf8')) as FailoverRecord;
  } catch {
    return undefined;
  }
}

export async function writeFailoverRecord(target: TargetName, record: FailoverRecord, name = 'failover'): Promise<void> {
  await mkdir(targetStateDir(target), { recursive: true, mode: 0o700 });
  await writeFile(failoverRecordPath(target, name), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}
