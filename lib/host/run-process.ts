import { $ } from 'zx';
import { CommandError, type RunOptions, type RunResult } from './host.ts';

const verbose = () => Boolean(process.env.WORKBOOK_VERBOSE);

/** Runs argv with zx, feeding input and streaming output when asked; `shown` is the command as a person would type it. */
export async function runProcess(
  hostName: string,
  argv: readonly string[],
  shown: string,
  options: RunOptions,
): Promise<RunResult> {
  const stream = options.stream ?? verbose();
  const child = $({ quiet: true, nothrow: true, input: options.input ?? '' })`${argv}`;
  if (stream) {
    child.stdout.on('data', (d: Buffer) => process.stdout.write(indent(hostName, d)));
    child.stderr.on('data', (d: Buffer) => process.stderr.write(indent(hostName, d)));
  }
  const out = await child;
  const result = { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode ?? 1 };
  if (options.check !== false && result.exitCode !== 0) throw new CommandError(hostName, shown, result);
  return result;
}

function indent(hostName: string, data: Buffer): string {
  return data
    .toString()
    .split('\n')
    .map((line) => (line ? `    ${hostName} | ${line}` : line))
    .join('\n');
}
