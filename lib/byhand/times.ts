import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { ROOT } from '../paths.ts';

/**
 * What typing each chapter by hand costs, measured: every successful `--by-hand` run records its
 * chapter's seconds (typing, the check and the samples of "What you should see", as the runner
 * types them: no reading or thinking time), and how many lines and characters it typed. The file
 * is committed: the site and the instructor material derive chapter time estimates from it.
 * Its shape stays this simple on purpose:
 *   {"date": "2026-12-03", "machine": "…", "chapters": {"1": {"seconds": 12.3, "lines": 9, "chars": 420}, …}}
 */
export const BY_HAND_TIMES = `${ROOT}/bench/results/by-hand-times.json`;

/**
 * Where a target's figures go: the lab's in BY_HAND_TIMES (the site reads it), another target's
 * beside it (`by-hand-times-vagrant.json`): a by-hand pass on emulated VMs must not replace the
 * lab's figures the schedules are built from.
 */
export function byHandTimesFile(target: string): string {
  return target === 'lab' ? BY_HAND_TIMES : BY_HAND_TIMES.replace(/\.json$/, `-${target}.json`);
}

export interface ChapterTime {
  seconds: number;
  /** Lines typed: each command's lines (a heredoc's body included) and each line a command read. */
  lines: number;
  /** Characters of those lines as the chapter shows them (placeholders, not the secrets). */
  chars: number;
}

export interface ByHandTimes {
  date: string;
  machine: string;
  chapters: Record<string, ChapterTime>;
}

/** The machine the figures were measured on: they are worth little without it. */
export function machineLine(target: string): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, target ${target}`;
}

/**
 * The record with one chapter's time put in. Figures from another machine or target are not
 * mixed with this one's: a record of another machine is started afresh.
 */
export function withChapterTime(
  previous: ByHandTimes | undefined,
  chapter: number,
  time: ChapterTime,
  machine: string,
  now = new Date(),
): ByHandTimes {
  const kept = previous?.machine === machine ? previous.chapters : {};
  const chapters = { ...kept, [String(chapter)]: { ...time, seconds: Math.round(time.seconds * 10) / 10 } };
  const ordered = Object.fromEntries(Object.entries(chapters).sort(([a], [b]) => Number(a) - Number(b)));
  return { date: now.toISOString().slice(0, 10), machine, chapters: ordered };
}

async function readTimes(file: string): Promise<ByHandTimes | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as ByHandTimes;
    return parsed && typeof parsed.chapters === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Puts one chapter's measured time into the committed file (written whole, then renamed: never half a file). */
export async function recordChapterTime(
  chapter: number,
  time: ChapterTime,
  target: string,
  file = byHandTimesFile(target),
): Promise<void> {
  const next = withChapterTime(await readTimes(file), chapter, time, machineLine(target));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}
