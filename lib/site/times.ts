import { parseSessions } from '../byhand/parse.ts';
import { withRepeats } from '../byhand/run.ts';
import type { MeasuredTimes } from './measured-times.ts';

/**
 * How long a chapter takes a person, from what can be measured rather than guessed:
 *
 *     minutes = machine seconds / 60 + typed characters / 200 + prose words / 180
 *
 * rounded up to 5 minutes. The machine seconds come from the by-hand runs (measured-times.ts);
 * the characters are those of every command the attendee types (its *By hand* and *What you
 * should see* blocks, as a Vagrant attendee: blocks only for the lab are left out, repeats
 * counted); the words are the chapter's prose, code blocks, comments and the review questions
 * left out.
 */

export const TYPED_CHARS_PER_MINUTE = 200;
export const READ_WORDS_PER_MINUTE = 180;
export const ROUND_TO_MINUTES = 5;

export interface ChapterFigures {
  /** Characters of the commands typed (prompts and sample output not counted). */
  chars: number;
  /** Lines typed (a heredoc or a `\` continuation counts each line). */
  lines: number;
  /** Words of prose. */
  words: number;
}

export type MachineSource = 'measured' | 'earlier run' | 'shared' | 'not measured';

export interface ChapterTime extends ChapterFigures {
  number: number;
  /** Machine seconds used in the estimate (0 when not measured). */
  machineSeconds: number;
  machine: MachineSource;
  /** The estimate, rounded up to ROUND_TO_MINUTES. */
  minutes: number;
  /** The estimate before rounding. */
  exactMinutes: number;
}

/**
 * The chapter's prose: code blocks, HTML comments and tags left out, and the review questions
 * too (a schedule gives them minutes of their own, schedule.ts's REVIEW_MINUTES).
 */
export function proseText(markdown: string): string {
  return markdown
    .replace(/^## Review questions[ \t]*\n[\s\S]*?(?=^## |(?![\s\S]))/m, ' ')
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[`~]*[ \t]*$/gm, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ');
}

export function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’._/-]*/gu) ?? []).length;
}

/** What a chapter makes a person type and read. */
export function chapterFigures(markdown: string, file = 'chapter.md'): ChapterFigures {
  let chars = 0;
  let lines = 0;
  for (const block of parseSessions(markdown, file)) {
    if (!block.phase) continue;
    if (block.only && !block.only.includes('vagrant')) continue;
    for (const command of withRepeats(block)) {
      chars += command.text.length;
      lines += command.text.split('\n').length;
    }
  }
  return { chars, lines, words: countWords(proseText(markdown)) };
}

/** The formula, in minutes, unrounded. */
export function exactMinutes(machineSeconds: number, figures: Pick<ChapterFigures, 'chars' | 'words'>): number {
  return machineSeconds / 60 + figures.chars / TYPED_CHARS_PER_MINUTE + figures.words / READ_WORDS_PER_MINUTE;
}

/** Rounded up to the next 5 minutes, and never less than 5. */
export function roundUp(minutes: number, to = ROUND_TO_MINUTES): number {
  return Math.max(to, Math.ceil(minutes / to - 1e-9) * to);
}

/**
 * Every chapter's time. A group measured together (chapters 1–5) is shared out in proportion to
 * the lines each of its chapters types.
 */
export function chapterTimes(
  chapters: readonly { number: number; markdown: string; file?: string }[],
  measured: MeasuredTimes,
): ChapterTime[] {
  const figures = new Map(chapters.map((c) => [c.number, chapterFigures(c.markdown, c.file)]));
  const shared = new Map<number, number>();
  for (const group of measured.groups) {
    const members = group.chapters.filter((n) => figures.has(n) && !measured.seconds.has(n) && !measured.earlier?.has(n));
    const totalLines = members.reduce((sum, n) => sum + (figures.get(n)?.lines ?? 0), 0);
    for (const n of members) {
      const share = totalLines > 0 ? (figures.get(n)?.lines ?? 0) / totalLines : 1 / members.length;
      shared.set(n, group.seconds * share);
    }
  }
  return chapters.map((c) => {
    const f = figures.get(c.number) as ChapterFigures;
    const own = measured.seconds.get(c.number);
    const earlier = measured.earlier?.get(c.number);
    const machineSeconds = own ?? earlier ?? shared.get(c.number) ?? 0;
    const machine: MachineSource =
      own !== undefined ? 'measured' : earlier !== undefined ? 'earlier run' : shared.has(c.number) ? 'shared' : 'not measured';
    const exact = exactMinutes(machineSeconds, f);
    return { number: c.number, ...f, machineSeconds, machine, exactMinutes: exact, minutes: roundUp(exact) };
  });
}

/** `1 h 35 min`, `45 min`. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
