import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { type TargetName, targetStateDir } from '../target.ts';

/** What chapter 10's failover test measured, kept so its check can verify it afterwards. */
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

export const failoverRecordPath = (target: TargetName) => `${targetStateDir(target)}/failover.json`;

export async function readFailoverRecord(target: TargetName): Promise<FailoverRecord | undefined> {
  try {
    return JSON.parse(await readFile(failoverRecordPath(target), 'utf8')) as FailoverRecord;
  } catch {
    return undefined;
  }
}

export async function writeFailoverRecord(target: TargetName, record: FailoverRecord): Promise<void> {
  await mkdir(targetStateDir(target), { recursive: true, mode: 0o700 });
  await writeFile(failoverRecordPath(target), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}
