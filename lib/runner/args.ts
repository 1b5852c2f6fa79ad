import { CHAPTERS, type Chapter, chapter } from '../chapters/registry.ts';
import { chosenTarget, parseTargetName, TARGET_NAMES, type TargetName, type TargetSource } from '../target.ts';
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

export const CHAPTER_USAGE = `usage: npm run chapter <n|all> [-- --target ${TARGET_NAMES.join('|')}] [--catch-up] [--by-hand]   |   npm run check <n|all> [-- --target ${TARGET_NAMES.join('|')}]`;

/** `apply 7 --target lab --catch-up` and friends. */
export function parseChapterArgs(argv: readonly string[]): ChapterArgs {
  const [mode, ...rest] = argv;
  if (mode !== 'apply' && mode !== 'check') throw new UsageError(CHAPTER_USAGE);
  let target: TargetName | undefined;
  let catchUp = false;
  let byHand = false;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--catch-up') catchUp = true;
    else if (arg === '--by-hand' && mode === 'apply') byHand = true;
    else if (arg === '--target') target = parseTargetName(rest[++i] ?? '');
    else if (arg.startsWith('--target=')) target = parseTargetName(arg.slice('--target='.length));
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}. ${CHAPTER_USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(CHAPTER_USAGE);
  const all = positional[0] === 'all';
  const chosen = target ? { name: target, source: '--target' as const } : chosenTarget();
  return {
    mode,
    all,
    chapters: all ? [...CHAPTERS] : [chapter(positional[0])],
    target: chosen.name,
    targetSource: chosen.source,
    catchUp,
    byHand,
  };
}
