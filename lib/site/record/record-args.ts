import { resolve } from 'node:path';
import { chapter } from '../../chapters/registry.ts';
import { ROOT } from '../../paths.ts';
import { defaultTargetName, parseTargetName, type TargetName } from '../../target.ts';

export const RECORD_USAGE =
  'usage: npm run record <n> [-- --target lab|vagrant] [--out DIR] [--catch-up] [--cols N] [--rows N] [--exercise NAME]';

export class RecordUsageError extends Error {}

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

export function parseRecordArgs(argv: readonly string[]): RecordArgs {
  let target: TargetName | undefined;
  let out = `${ROOT}/site/recordings`;
  let catchUp = false;
  let cols = 100;
  let rows = 30;
  let exercise: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? '';
    if (arg === '--target') target = parseTargetName(value());
    else if (arg === '--out') out = resolve(value());
    else if (arg === '--catch-up') catchUp = true;
    else if (arg === '--cols') cols = Number(value());
    else if (arg === '--rows') rows = Number(value());
    else if (arg === '--exercise') exercise = value();
    else if (arg.startsWith('-')) throw new RecordUsageError(`unknown option ${arg}. ${RECORD_USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new RecordUsageError(RECORD_USAGE);
  if (!(cols >= 40 && cols <= 300 && rows >= 10 && rows <= 120))
    throw new RecordUsageError(`--cols must be 40-300 and --rows 10-120. ${RECORD_USAGE}`);
  return { number: chapter(positional[0]).number, target: target ?? defaultTargetName(), out, catchUp, cols, rows, exercise };
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
    throw new RecordUsageError('WORKBOOK_RECORD_COMMAND must be a JSON array of strings, e.g. ["node","script.mjs"]');
  }
  return { argv: argv as string[], overridden: true };
}
