import { resolve } from 'node:path';
import { chapter } from '../../chapters/registry.ts';
import { parseCommandLine, TARGET_OPTION, TARGET_USAGE, targetOf, wholeNumber } from '../../parse-args.ts';
import { ROOT } from '../../paths.ts';
import type { TargetName } from '../../target.ts';
import { UsageError } from '../../usage-error.ts';

export const RECORD_USAGE = `usage: npm run record <n> [-- ${TARGET_USAGE}] [--out DIR] [--catch-up] [--cols N] [--rows N] [--exercise NAME]`;

export interface RecordArgs {
  number: number;
  target: TargetName;
  out: string;
  catchUp: boolean;
  cols: number;
  rows: number;
  /** Record the chapter's fault exercise done by hand (`npm run exercise -- walkthrough NAME`) instead of the chapter. */
  exercise?: string;
}

const RECORD_OPTIONS = {
  ...TARGET_OPTION,
  out: { type: 'string' },
  'catch-up': { type: 'boolean' },
  cols: { type: 'string' },
  rows: { type: 'string' },
  exercise: { type: 'string' },
} as const;

export function parseRecordArgs(argv: readonly string[]): RecordArgs {
  const { values, positionals } = parseCommandLine(argv, RECORD_OPTIONS, RECORD_USAGE);
  if (positionals.length !== 1) throw new UsageError(RECORD_USAGE);
  return {
    number: chapter(positionals[0]).number,
    target: targetOf(values).name,
    out: values.out ? resolve(values.out) : `${ROOT}/site/recordings`,
    catchUp: values['catch-up'] ?? false,
    cols: wholeNumber('cols', values.cols, 40, 300, 100),
    rows: wholeNumber('rows', values.rows, 10, 120, 30),
    exercise: values.exercise,
  };
}

/** What `npm run record N` runs: the chapter itself, exactly as a person would start it; or its exercise, done by hand. */
export function chapterCommand(args: RecordArgs): string[] {
  if (args.exercise) return ['npm', 'run', '--silent', 'exercise', '--', 'walkthrough', args.exercise, '--target', args.target];
  return [
    'npm',
    'run',
    '--silent',
    'chapter',
    String(args.number),
    '--',
    '--target',
    args.target,
    ...(args.catchUp ? ['--catch-up'] : []),
  ];
}

/**
 * The command to record: the chapter, unless WORKBOOK_RECORD_COMMAND (a JSON array of strings)
 * names another program. The tests use that to record a harmless program through the same path.
 */
export function commandToRecord(args: RecordArgs, override: string | undefined): { argv: string[]; overridden: boolean } {
  if (!override) return { argv: chapterCommand(args), overridden: false };
  let argv: unknown;
  try {
    argv = JSON.parse(override);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new UsageError('WORKBOOK_RECORD_COMMAND must be a JSON array of strings, e.g. ["node","script.mjs"]');
  }
  return { argv: argv as string[], overridden: true };
}
