import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';

/**
 * The machine's share of each chapter typed by hand: how long the commands themselves ran, in
 * seconds, measured by `npm run chapter N -- --by-hand`. It comes from
 * bench/results/by-hand-times.json when that file exists, else from the figures of the last
 * measured run below, which say so wherever they are shown.
 */

export interface ByHandChapterTime {
  seconds: number;
  lines?: number;
  chars?: number;
}

export interface ByHandTimesFile {
  date: string;
  machine: string;
  chapters: Record<string, ByHandChapterTime>;
}

export interface MeasuredTimes {
  /** Where the figures come from, in words, for the pages that show them. */
  source: string;
  /** True when the figures are the committed fallback, not a file of measurements. */
  fallback: boolean;
  /** Chapter number → machine seconds; a chapter absent here was not measured. */
  seconds: ReadonlyMap<number, number>;
  /** Chapters measured only together with others (1–5): their shared total, and who shares it. */
  groups: readonly { chapters: readonly number[]; seconds: number }[];
  /** Figures of an earlier run, for the chapters the newer file does not have yet. */
  earlier?: ReadonlyMap<number, number>;
}

export const BY_HAND_TIMES_FILE = 'bench/results/by-hand-times.json';

/**
 * The last landed by-hand run on the lab (issue 10's note, 2026-12-02): chapters 6–9, 11 and
 * 13–16 one by one, chapters 1–5 as one total. Chapters 10 and 12 were not typed by the runner.
 */
export const FALLBACK_TIMES: MeasuredTimes = {
  source:
    'the last measured by-hand run on the lab (2026-12-02, issue 10): chapters 1–5 were timed together, 10 and 12 were not timed',
  fallback: true,
  seconds: new Map([
    [6, 15],
    [7, 25],
    [8, 15],
    [9, 8],
    [11, 77],
    [13, 70],
    [14, 3],
    [15, 39],
    [16, 150],
  ]),
  groups: [{ chapters: [1, 2, 3, 4, 5], seconds: 52 }],
};

/** Checks the shape of a by-hand-times.json; throws naming what is wrong. */
export function parseByHandTimes(text: string, where = BY_HAND_TIMES_FILE): MeasuredTimes {
  const data = JSON.parse(text) as Partial<ByHandTimesFile>;
  if (!data || typeof data !== 'object' || !data.chapters || typeof data.chapters !== 'object') {
    throw new Error(`${where}: expected {"date","machine","chapters":{"1":{"seconds",…},…}}`);
  }
  const seconds = new Map<number, number>();
  for (const [key, value] of Object.entries(data.chapters)) {
    const n = Number(key);
    if (!Number.isInteger(n) || n < 1 || typeof value?.seconds !== 'number' || !(value.seconds >= 0)) {
      throw new Error(`${where}: chapter "${key}" needs a whole chapter number and "seconds" ≥ 0`);
    }
    seconds.set(n, value.seconds);
  }
  const when = typeof data.date === 'string' ? data.date.slice(0, 10) : 'an undated run';
  const machine = typeof data.machine === 'string' && data.machine ? ` on ${data.machine}` : '';
  return { source: `${where} (by-hand run of ${when}${machine})`, fallback: false, seconds, groups: [] };
}

/**
 * The file's figures, with the earlier run's for the chapters it lacks: a chapter timed alone
 * there keeps its figure (as "an earlier run"); a group timed together (1–5) gives what remains of
 * its total, after the members the file has, to the members it has not.
 */
export function withFallback(file: MeasuredTimes, fallback: MeasuredTimes = FALLBACK_TIMES): MeasuredTimes {
  const earlier = new Map([...fallback.seconds].filter(([n]) => !file.seconds.has(n)));
  const groups = fallback.groups.flatMap((g) => {
    const missing = g.chapters.filter((n) => !file.seconds.has(n));
    if (missing.length === 0) return [];
    const measured = g.chapters.reduce((sum, n) => sum + (file.seconds.get(n) ?? 0), 0);
    return [{ chapters: missing, seconds: Math.max(0, g.seconds - measured) }];
  });
  const gaps = earlier.size > 0 || groups.length > 0;
  return {
    ...file,
    source: gaps ? `${file.source}; for the chapters it does not have yet, ${fallback.source}` : file.source,
    earlier,
    groups,
  };
}

/** The measured times: the file when present (completed by the committed fallback), else the fallback alone. */
export async function loadMeasuredTimes(root = ROOT): Promise<MeasuredTimes> {
  let text: string;
  try {
    text = await readFile(join(root, BY_HAND_TIMES_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return FALLBACK_TIMES;
    throw error;
  }
  return withFallback(parseByHandTimes(text));
}
