import { parseCommandLine } from '../parse-args.ts';
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

const OPTIONS = {
  keep: { type: 'boolean' },
  down: { type: 'boolean' },
  'box-only': { type: 'boolean' },
  'rebuild-box': { type: 'boolean' },
  from: { type: 'string' },
  'by-hand': { type: 'string' },
} as const;

export function parseTestVmsArgs(argv: readonly string[]): TestVmsOptions {
  // A bare --by-hand means from chapter 1: parseArgs wants a value for a string option.
  const args = argv.map((a) => (a === '--by-hand' ? '--by-hand=1' : a));
  const { values } = parseCommandLine(args, OPTIONS, TEST_VMS_USAGE, { positionals: false });
  const options: TestVmsOptions = {
    keep: values.keep ?? false,
    down: values.down ?? false,
    boxOnly: values['box-only'] ?? false,
    rebuildBox: values['rebuild-box'] ?? false,
    from: 'box',
  };
  if (values.from !== undefined) {
    const chapter = /^chapter:(\d+)$/.exec(values.from);
    if (values.from === 'up' || values.from === 'chapters' || values.from === 'stopped-vm') options.from = values.from;
    else if (chapter) {
      options.from = 'chapters';
      options.fromChapter = Number(chapter[1]);
    } else throw new UsageError(`--from ${values.from} is not a starting point. ${TEST_VMS_USAGE}`);
  }
  if (values['by-hand'] !== undefined) {
    if (!/^[1-9]\d*$/.test(values['by-hand']))
      throw new UsageError(`--by-hand=${values['by-hand']} is not a chapter number. ${TEST_VMS_USAGE}`);
    options.byHandFrom = Number(values['by-hand']);
  }
  if (options.byHandFrom !== undefined && (options.boxOnly || options.down || options.from === 'stopped-vm'))
    throw new UsageError(`--by-hand runs chapters: not with --box-only, --down or --from stopped-vm. ${TEST_VMS_USAGE}`);
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
