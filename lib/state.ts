import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { STATE_DIR } from './paths.ts';
import type { TargetName } from './target.ts';

/**
 * The workbook's generated state, outside git, in one place: `.workbook/` (or
 * $WORKBOOK_STATE_DIR) holds the target chosen for the workshop, ssh's shared connections, and a
 * folder for each target. Everything in it is private: folders 0700, files 0600 (secrets, and
 * results that name the cluster's machines and tables).
 *
 *     .workbook/target                       the target chosen with `npm run target`
 *     .workbook/cm/                          ssh connection sharing (vagrant, ssh)
 *     .workbook/<target>/secrets.json        the cluster's passwords
 *     .workbook/<target>/ca.crt, tls/        chapter 15's certificate authority and certificates
 *     .workbook/<target>/run.lock            one run at a time (vagrant, ssh; the lab's is in /run/lock)
 *     .workbook/<target>/failover.json       chapter 10's failover record (lib/cluster/failover-record.ts)
 *     .workbook/<target>/pgbouncer-failover.json   chapter 12's
 *     .workbook/<target>/reliability-drill.json    chapter 16's, naming its drill's record in drills/
 *     .workbook/<target>/drills/             every `npm run drill`: JSON and SVG
 *     .workbook/<target>/k8s/secret.yaml     chapter 14's Secret
 *     .workbook/<target>/exercise.json       the fault exercise running (`npm run exercise`)
 *     .workbook/vagrant/, .workbook/ssh/     the targets' own ssh configuration
 *     .workbook/lab-suite/                   `npm test`'s lab suite, while its by-hand pass uses .workbook/lab/
 */
export const STATE_DIR_MODE = 0o700;
export const STATE_FILE_MODE = 0o600;

export const TARGET_CHOICE_FILE = `${STATE_DIR}/target`;
export const SSH_CONTROL_DIR = `${STATE_DIR}/cm`;

/**
 * Where `npm test` keeps the state of the lab suite's step path (WORKBOOK_STATE_DIR), while the
 * by-hand pass, in a second lab beside it, types the chapters' own `.workbook/lab/…` paths.
 */
export const LAB_SUITE_STATE_DIR = `${STATE_DIR}/lab-suite`;

/** Per-target generated state (secrets, results). */
export const targetStateDir = (target: TargetName): string => `${STATE_DIR}/${target}`;
export const secretsFile = (target: TargetName): string => `${targetStateDir(target)}/secrets.json`;
export const trustedCaFile = (target: TargetName): string => `${targetStateDir(target)}/ca.crt`;
export const tlsDir = (target: TargetName): string => `${targetStateDir(target)}/tls`;
export const targetRunLockFile = (target: TargetName): string => `${targetStateDir(target)}/run.lock`;
/** Chapter 10 keeps its failover record as `failover`, chapter 12 (through PgBouncer) as `pgbouncer-failover`, chapter 16 as `reliability-drill`. */
export const failoverRecordPath = (target: TargetName, name = 'failover'): string => `${targetStateDir(target)}/${name}.json`;
export const drillsDir = (target: TargetName): string => `${targetStateDir(target)}/drills`;
export const generatedSecretPath = (target: TargetName): string => `${targetStateDir(target)}/k8s/secret.yaml`;
/** The fault exercise running on a target (`npm run exercise`). */
export const exerciseStateFile = (target: TargetName): string => `${targetStateDir(target)}/exercise.json`;

/** A private folder of the state (0700), with its parents. */
export async function makeStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: STATE_DIR_MODE });
}

/**
 * Writes a file of the state: only readable by its owner, in a folder only its owner may
 * enter. Compares first: returns `unchanged` when content and mode are already right, `mode`
 * when only the mode was fixed, `written` otherwise.
 */
export async function writeStateFile(path: string, content: string): Promise<'unchanged' | 'mode' | 'written'> {
  await makeStateDir(dirname(path));
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) {
    if (((await stat(path)).mode & 0o777) === STATE_FILE_MODE) return 'unchanged';
    await chmod(path, STATE_FILE_MODE);
    return 'mode';
  }
  await writeFile(path, content, { mode: STATE_FILE_MODE });
  await chmod(path, STATE_FILE_MODE);
  return 'written';
}
