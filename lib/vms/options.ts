import { UsageError } from '../usage-error.ts';

/** The options of `npm run test:vms` (lib/cli/test-vms.ts). */
export const TEST_VMS_USAGE =
  'usage: npm run test:vms [-- --keep] [--rebuild-box] [--box-only] [--from up|chapters|chapter:N|stopped-vm] [--by-hand[=N]] [--down]';

export interface TestVmsOptions {
  keep: boolean;
  down: boolean;
  boxOnly: boolean;
  rebuildBox: boolean;
  from: 'box' | 'up' | 'chapters' | 'stopped-vm';
  fromChapter?: number;
  /** `--by-hand[=N]`: chapters from N on (1 when no N) are typed by hand; the ones before run by their steps. */
  byHandFrom?: number;
}

const FLAGS = ['--keep', '--rebuild-box', '--box-only', '--down'];

export function parseTestVmsArgs(argv: readonly string[]): TestVmsOptions {
  const options: TestVmsOptions = { keep: false, down: false, boxOnly: false, rebuildBox: false, from: 'box' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const byHand = /^--by-hand(?:=(\d+))?$/.exec(a);
    if (a === '--from') {
      const v = argv[++i] ?? '';
      const chapter = /^chapter:(\d+)$/.exec(v);
      if (v === 'up' || v === 'chapters' || v === 'stopped-vm') options.from = v;
      else if (chapter) {
        options.from = 'chapters';
        options.fromChapter = Number(chapter[1]);
      } else throw new UsageError(TEST_VMS_USAGE);
    } else if (byHand) {
      options.byHandFrom = byHand[1] === undefined ? 1 : Number(byHand[1]);
      if (options.byHandFrom < 1) throw new UsageError(TEST_VMS_USAGE);
    } else if (FLAGS.includes(a)) {
      if (a === '--keep') options.keep = true;
      if (a === '--down') options.down = true;
      if (a === '--box-only') options.boxOnly = true;
      if (a === '--rebuild-box') options.rebuildBox = true;
    } else throw new UsageError(TEST_VMS_USAGE);
  }
  if (options.byHandFrom !== undefined && (options.boxOnly || options.down || options.from === 'stopped-vm'))
    throw new UsageError(`--by-hand runs chapters: not with --box-only, --down or --from stopped-vm\n${TEST_VMS_USAGE}`);
  return options;
}

/** One `npm run chapter` of a run: by its step, or typed by hand. */
export interface ChapterRun {
  number: number;
  byHand: boolean;
}

/**
 * The chapters a run applies, in order, each by its step or by hand: from `from` (1 when the run
 * starts from nothing) to the last; with `--by-hand=N`, those from N on by hand.
 */
export function chapterRuns(numbers: readonly number[], from = 1, byHandFrom?: number): ChapterRun[] {
  return numbers.filter((n) => n >= from).map((number) => ({ number, byHand: byHandFrom !== undefined && number >= byHandFrom }));
}

/** `5-15` and friends: the chapters of a list as ranges, for the record. */
export function ranges(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j === i ? String(numbers[i]) : `${numbers[i]}-${numbers[j]}`);
    i = j;
  }
  return parts.join(', ');
}
