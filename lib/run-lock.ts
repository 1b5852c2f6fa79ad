import { existsSync, linkSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from './clients/wait.ts';
import { commandLine } from './command-line.ts';
import { accessProblem, isAccessError } from './file-access.ts';
import { NotRootError } from './lab/lab.ts';
import { LAB_NETNS } from './paths.ts';
import { targetRunLockFile } from './state.ts';
import type { TargetName } from './target.ts';

/**
 * One run at a time per target. Every command that changes or checks a target (chapter, check,
 * drill, lab up/down, bench, the lab and VM suites) holds its lock for the whole run; a second
 * run waits with one line that says for what, and gives up on Ctrl-C.
 *
 * - The lab exists once per machine, so its lock is machine-wide (/run/lock/ha-workbook-lab.lock,
 *   whichever checkout runs); the vagrant and ssh locks live with their state, .workbook/<target>/run.lock.
 * - The lock file holds who has it: pid, the process's start time (so a reused pid is not
 *   mistaken for the holder), the command line and when it started. It is created complete and
 *   atomically (written aside, then hard-linked into place), so a reader never sees half of it.
 * - A holder that died without releasing it (kill -9, a crash, a closed terminal) is noticed by
 *   its pid, and the lock is taken over, saying so. Only one waiter may take over at a time
 *   (a `.takeover` directory, made atomically).
 * - Child processes inherit the lock through WORKBOOK_LOCK_HELD ("lab=1234,vagrant=…": target and
 *   holder pid), so `npm run chapter` running checks, the by-hand runner typing `npm run check 5`,
 *   or the lab suite starting `npm run chapter 7` do not wait for themselves. A process whose
 *   ancestor holds the lock counts too (sudo drops the environment).
 * - WORKBOOK_LOCK_WAIT=no refuses at once instead of waiting (scripts that must not hang).
 */
export const LOCK_ENV = 'WORKBOOK_LOCK_HELD';

export interface LockHolder {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22), where known. */
  pidStart?: string;
  command: string;
  /** ISO time. */
  started: string;
}

export function runLockFile(target: TargetName): string {
  if (target === 'lab') return process.env.WORKBOOK_LAB_LOCK ?? `/run/lock/ha-workbook-${LAB_NETNS ?? 'lab'}.lock`;
  return targetRunLockFile(target);
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** True when that process still runs (and is the same process, where the system can tell). */
export function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(holder.pid);
  return !(holder.pidStart && start && start !== holder.pidStart);
}

function isAncestor(pid: number): boolean {
  for (let p = parentOf(process.pid), hops = 0; p && p > 1 && hops < 64; p = parentOf(p), hops++) if (p === pid) return true;
  return false;
}

export function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** "npm run drill (pid 1234, started 14:02)" */
export function describeHolder(holder: LockHolder): string {
  const started = new Date(holder.started);
  const hhmm = started.toTimeString().slice(0, 5);
  const when = Date.now() - started.getTime() > 12 * 3600_000 ? `${started.toISOString().slice(0, 10)} ${hhmm}` : hhmm;
  return `${holder.command} (pid ${holder.pid}, started ${when})`;
}

function heldByEnv(target: TargetName, env = process.env): number | undefined {
  for (const part of (env[LOCK_ENV] ?? '').split(',')) {
    const [name, pid] = part.split('=');
    if (name === target && Number(pid) > 0) return Number(pid);
  }
  return undefined;
}

function markHeld(target: TargetName, pid: number): void {
  const others = (process.env[LOCK_ENV] ?? '').split(',').filter((p) => p && !p.startsWith(`${target}=`));
  process.env[LOCK_ENV] = [...others, `${target}=${pid}`].join(',');
}

export class LockBusyError extends Error {}

export interface LockOptions {
  say?: (line: string) => void;
  command?: string;
  /** false: refuse at once when another run holds it. Default: WORKBOOK_LOCK_WAIT !== 'no'. */
  wait?: boolean;
  pollMs?: number;
}

export interface RunLock {
  file: string;
  /** 'taken': this process holds it and releases it at exit; 'inherited': a parent process holds it. */
  how: 'taken' | 'inherited';
  release(): void;
}

const owned = new Set<string>();
let exitHookInstalled = false;

function releaseFile(file: string): void {
  if (!owned.has(file)) return;
  owned.delete(file);
  if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of [...owned]) releaseFile(file);
  });
  // A Ctrl-C that nothing else handles ends the run: release first. Commands that handle Ctrl-C
  // themselves (the drill heals its fault first) keep doing so; the lock goes when they exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const file of [...owned]) releaseFile(file);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on(signal, onSignal);
  }
}

function tryCreate(file: string, holder: LockHolder): boolean {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(holder)}\n`, { mode: 0o644 });
  try {
    linkSync(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/** Removes a dead holder's lock; only one process at a time may do it. True when it did. */
function takeOver(file: string, dead: LockHolder | undefined): boolean {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A taker that died in these few milliseconds leaves the guard: it is stale after 10 s.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) rmdirSync(guard);
    } catch {}
    return false;
  }
  try {
    const now = readHolder(file);
    // Released between our attempt and our look (a live holder that finished): nothing to take over.
    if (!now && !existsSync(file)) return false;
    const same = now?.pid === dead?.pid && now?.started === dead?.started;
    if (!same) return false;
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return true;
  } finally {
    rmdirSync(guard);
  }
}

/**
 * Takes the target's lock for the rest of this process (released at exit), waiting for another
 * run to finish first. Sets WORKBOOK_LOCK_HELD for the processes it starts.
 */
export async function acquireRunLock(target: TargetName, options: LockOptions = {}): Promise<RunLock> {
  const file = runLockFile(target);
  const say = options.say ?? ((line: string) => console.error(line));
  const wait = options.wait ?? process.env.WORKBOOK_LOCK_WAIT !== 'no';
  const done = (how: RunLock['how']): RunLock => ({ file, how, release: () => releaseFile(file) });

  const current = readHolder(file);
  const inherited = heldByEnv(target);
  if (owned.has(file)) return done('taken');
  if (current && isAlive(current) && (current.pid === inherited || isAncestor(current.pid))) {
    markHeld(target, current.pid);
    return done('inherited');
  }

  mkdirSync(dirname(file), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    pidStart: processStart(process.pid),
    command: options.command ?? commandLine(),
    started: new Date().toISOString(),
  };
  let waitingFor: LockHolder | undefined;
  let giveUp: (() => void) | undefined;
  try {
    for (;;) {
      if (tryCreate(file, { ...holder, started: new Date().toISOString() })) break;
      const other = readHolder(file);
      if (!other || !isAlive(other)) {
        if (takeOver(file, other)) {
          say(
            other
              ? `taking over the ${target} lock of ${describeHolder(other)}: that process ended without releasing it`
              : `taking over the ${target} lock: ${file} named no live process`,
          );
        }
        await sleep(50);
        continue;
      }
      if (!wait) {
        throw new LockBusyError(
          `${describeHolder(other)} is using the ${target}: one run at a time. Wait for it to finish, then run this again`,
        );
      }
      if (other.pid !== waitingFor?.pid || other.started !== waitingFor?.started) {
        say(`waiting for ${describeHolder(other)} to finish; Ctrl-C to give up`);
        waitingFor = other;
        if (!giveUp) {
          giveUp = () => {
            say('gave up waiting: nothing was changed');
            process.exit(130);
          };
          process.on('SIGINT', giveUp);
        }
      }
      await sleep(options.pollMs ?? 500);
    }
  } finally {
    if (giveUp) process.off('SIGINT', giveUp);
  }
  owned.add(file);
  installExitHook();
  markHeld(target, process.pid);
  if (waitingFor) say(`${waitingFor.command} has finished: going on`);
  return done('taken');
}

/**
 * What every command that changes or checks a target calls first: the lab needs root (said
 * before anything else), then the lock. A lock file this user may not write is a message too.
 */
export async function holdRunLock(target: TargetName, options: LockOptions = {}): Promise<RunLock> {
  if (target === 'lab' && process.getuid?.() !== 0) throw new NotRootError();
  try {
    return await acquireRunLock(target, options);
  } catch (error) {
    if (isAccessError(error)) throw new Error(accessProblem(runLockFile(target), 'write'));
    throw error;
  }
}
