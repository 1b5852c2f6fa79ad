import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
