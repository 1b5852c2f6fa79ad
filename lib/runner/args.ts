import { CHAPTERS, type Chapter, chapter } from '../chapters/registry.ts';
import { parseCommandLine, TARGET_OPTION, TARGET_USAGE, targetOf } from '../parse-args.ts';
import type { TargetName, TargetSource } from '../target.ts';
import { UsageError } from '../usage-error.ts';

export interface ChapterArgs {
  mode: 'apply' | 'check';
  chapters: Chapter[];
  all: boolean;
  target: TargetName;
  /** Where the target came from: --target, WORKBOOK_TARGET, .workbook/target or the default. */
  targetSource: TargetSource;
  catchUp: boolean;
  /** Type the chapter's by-hand commands instead of running its step (lib/byhand). */
  byHand: boolean;
}

export const CHAPTER_USAGE = `usage: npm run chapter <n|all> [-- ${TARGET_USAGE}] [--catch-up] [--by-hand]   |   npm run check <n|all> [-- ${TARGET_USAGE}]`;

const APPLY_OPTIONS = { ...TARGET_OPTION, 'catch-up': { type: 'boolean' }, 'by-hand': { type: 'boolean' } } as const;
const CHECK_OPTIONS = { ...TARGET_OPTION, 'catch-up': { type: 'boolean' } } as const;

/** `apply 7 --target lab --catch-up` and friends. */
export function parseChapterArgs(argv: readonly string[]): ChapterArgs {
  const [mode, ...rest] = argv;
  if (mode !== 'apply' && mode !== 'check') throw new UsageError(CHAPTER_USAGE);
  const { values, positionals } = parseCommandLine(rest, mode === 'apply' ? APPLY_OPTIONS : CHECK_OPTIONS, CHAPTER_USAGE);
  if (positionals.length !== 1) throw new UsageError(CHAPTER_USAGE);
  const all = positionals[0] === 'all';
  const chosen = targetOf(values);
  return {
    mode,
    all,
    chapters: all ? [...CHAPTERS] : [chapter(positionals[0])],
    target: chosen.name,
    targetSource: chosen.source,
    catchUp: values['catch-up'] ?? false,
    byHand: 'by-hand' in values && values['by-hand'] === true,
  };
}
