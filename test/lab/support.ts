import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { sleep } from '../../lib/clients/wait.ts';
import { ROOT } from '../../lib/paths.ts';

const run = promisify(execFile);

/** Runs an npm script of the workbook as a person would, returning its exit code and output. */
export async function npmRun(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface Started {
  pid: number;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  exited: Promise<number | null>;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group (npm, sh, tsx, node). */
  interrupt(): void;
}

/**
 * Starts an npm script in the background, in its own process group like a command in another
 * terminal, with extra environment (undefined removes a variable).
 */
export function npmStart(args: string[], env: Record<string, string | undefined> = {}): Started {
  const full: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  const child = spawn('npm', ['run', '--silent', ...args], { cwd: ROOT, env: full, detached: true });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const pid = child.pid ?? 0;
  return {
    pid,
    output: () => out,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)))),
    interrupt: () => process.kill(-pid, 'SIGINT'),
  };
}

/** Waits until a condition holds, or fails after `ms`. */
export async function until(what: () => boolean, ms: number, why: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${why}`);
    await sleep(100);
  }
}

/** A lab lock of the test's own: runs started with it contend with each other, not with the suite. */
export function ownLabLock(name: string): Record<string, string | undefined> {
  return { WORKBOOK_LAB_LOCK: `/run/lock/ha-workbook-lab-test-${name}-${process.pid}.lock`, WORKBOOK_LOCK_HELD: undefined };
}
