import { readFile, rm } from 'node:fs/promises';
import { exerciseStateFile, writeStateFile } from '../state.ts';
import type { TargetName } from '../target.ts';
import type { Facts } from './types.ts';

/** The exercise running on a target: which, since when, what it broke, how many hints were given. */
export interface Running {
  name: string;
  /** ISO time of `start`. */
  started: string;
  facts: Facts;
  hintsShown: number;
}

/** Mode 0600, like secrets.json: the facts may hold lines of configuration files that carry passwords. */
export const stateFile = exerciseStateFile;

export async function readRunning(target: TargetName): Promise<Running | undefined> {
  const text = await readFile(stateFile(target), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Running;
  } catch {
    throw new Error(`${stateFile(target)} is not readable JSON: delete it, then check the cluster with \`npm run check all\``);
  }
}

export async function saveRunning(target: TargetName, running: Running): Promise<void> {
  await writeStateFile(stateFile(target), `${JSON.stringify(running, null, 2)}\n`);
}

export async function clearRunning(target: TargetName): Promise<void> {
  await rm(stateFile(target), { force: true });
}

/** "4 min 12 s" since `started`. */
export function elapsed(started: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(started)) / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}
