import { spawn } from 'node-pty';
import { findSecrets, SecretScrubber } from '../../secret-scrubber.ts';
import { type Cast, type CastEvent, castText, serializeCast } from './asciicast.ts';

export interface RecordOptions {
  /** argv of the program to record, e.g. ['npm', 'run', 'chapter', '7']. */
  argv: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  title?: string;
  /**
   * The secrets to scrub. Read once before the program starts and once after it ends, so a
   * secret the program generated while it ran is scrubbed too.
   */
  secrets: () => Promise<readonly string[]>;
  /** Receives the scrubbed output as it arrives, to show it live. */
  echo?: (data: string) => void;
}

export interface Recording {
  cast: Cast;
  /** The recording as asciicast v2 text, scrubbed and verified to hold no secret. */
  text: string;
  exitCode: number;
}

export class SecretLeakError extends Error {}

/**
 * Runs a program in a pseudo-terminal, as a person would see it, and records its output as an
 * asciicast. Every secret is replaced with `********` on the way in; before the recording is
 * handed back, its text and its rendered screen text are searched for every secret again.
 */
export async function recordSession(options: RecordOptions): Promise<Recording> {
  const [file, ...args] = options.argv;
  if (!file) throw new Error('nothing to record: the command is empty');
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 30;
  const before = await options.secrets();
  const scrubber = new SecretScrubber(before);
  const events: CastEvent[] = [];
  const started = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - started) / 1e9;
  const term = spawn(file, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd,
    env: { ...process.env, ...options.env, TERM: 'xterm-256color', FORCE_COLOR: '1' } as Record<string, string>,
  });
  const emit = (data: string) => {
    if (!data) return;
    events.push([now(), 'o', data]);
    options.echo?.(data);
  };
  const exitCode = await new Promise<number>((resolve) => {
    term.onData((data) => emit(scrubber.push(data)));
    term.onExit(({ exitCode }) => resolve(exitCode));
  });
  emit(scrubber.flush());

  const after = await options.secrets();
  const all = [...new Set([...before, ...after])];
  const final = new SecretScrubber(all);
  const scrubbed: CastEvent[] = [];
  for (const [t, type, data] of events) {
    const out = final.push(data);
    if (out) scrubbed.push([t, type, out]);
  }
  const rest = final.flush();
  if (rest) scrubbed.push([events.at(-1)?.[0] ?? 0, 'o', rest]);

  const cast: Cast = {
    header: {
      version: 2,
      width: cols,
      height: rows,
      timestamp: Math.floor(Date.now() / 1000),
      idle_time_limit: 2,
      ...(options.title ? { title: options.title } : {}),
      env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
    },
    events: scrubbed,
  };
  const text = serializeCast(cast);
  assertNoSecrets(text, all);
  assertNoSecrets(castText(cast), all);
  return { cast, text, exitCode };
}

export function assertNoSecrets(text: string, secrets: readonly string[]): void {
  const found = findSecrets(text, secrets);
  if (found.length > 0) {
    throw new SecretLeakError(
      `the recording still shows ${found.length} secret(s) after scrubbing (hidden inside terminal escape codes?): it was not saved`,
    );
  }
}
