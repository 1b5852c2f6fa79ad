import { oneDaySchedule, type ScheduleChapter, scheduleMarkdown, scheduleTotals, twoDaySchedule } from './schedule.ts';
import type { ChapterTime } from './times.ts';
import { formatMinutes } from './times.ts';

/**
 * Parts of a page that only the build can write, from the measured times: a line
 * `<!-- workbook: chapter-times -->`, `<!-- workbook: schedule one-day -->` or
 * `<!-- workbook: schedule two-day -->` is replaced by its table before the page is rendered.
 * `npm run times` prints the same tables in a terminal.
 */

export interface TimesContext {
  chapters: readonly (ScheduleChapter & { page?: string; time: ChapterTime })[];
  /** Where the machine seconds come from, in words. */
  source: string;
  fallback: boolean;
}

const MARKER = /^<!--\s*workbook:\s*([\w -]+?)\s*-->\s*$/gm;

const MACHINE_NOTE: Record<ChapterTime['machine'], string> = {
  measured: '',
  'earlier run': ' (earlier run)',
  shared: ' (shared)',
  'not measured': ' (not measured)',
};

export function chapterTimesMarkdown(context: TimesContext, link = (c: { page?: string }) => c.page): string {
  const rows = context.chapters.map((c) => {
    const t = c.time;
    const target = link(c);
    const title = target ? `[${c.number}. ${c.title}](${target})` : `${c.number}. ${c.title}`;
    return `| ${title} | ${Math.round(t.machineSeconds)}${MACHINE_NOTE[t.machine]} | ${t.chars} | ${t.words} | ${t.exactMinutes.toFixed(1)} | **${t.minutes}** |`;
  });
  const total = context.chapters.reduce((sum, c) => sum + c.time.minutes, 0);
  return [
    '| chapter | machine s | typed chars | prose words | exact min | minutes |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows,
    `| **all ${context.chapters.length} chapters** | | | | | **${total}** (${formatMinutes(total)}) |`,
    '',
    `Machine seconds: ${context.source}.${context.fallback ? ' These are the committed fallback figures; `bench/results/by-hand-times.json`, when a by-hand run writes it, replaces them.' : ''} “Earlier run”: the figure of the run before, for a chapter the newer file lacks; “shared”: measured for several chapters together (1–5) and shared out by the lines each types; “not measured”: the chapter has no by-hand measurement yet, so its estimate is reading and typing only.`,
    '',
  ].join('\n');
}

export function generatedBlock(name: string, context: TimesContext, link = (c: { page?: string }) => c.page): string | undefined {
  const byNumber = (n: number) => link(context.chapters.find((c) => c.number === n) ?? {});
  if (name === 'chapter-times') return chapterTimesMarkdown(context, link);
  if (name === 'schedule one-day') {
    const s = oneDaySchedule(context.chapters);
    const totals = scheduleTotals(s);
    return `${scheduleMarkdown(s, byNumber)}\nChapters and review: ${formatMinutes(totals.teaching)}; spare: ${formatMinutes(totals.spare)}.\n`;
  }
  if (name === 'schedule two-day') {
    const s = twoDaySchedule(context.chapters);
    const totals = scheduleTotals(s);
    return `${scheduleMarkdown(s, byNumber)}\nChapters and review: ${formatMinutes(totals.teaching)}; spare: ${formatMinutes(totals.spare)}.\n`;
  }
  return undefined;
}

/** The markdown with every `<!-- workbook: … -->` line replaced; unknown names are reported. */
export function fillGenerated(
  markdown: string,
  context: TimesContext,
  warnings: string[],
  link = (c: { page?: string }) => c.page,
): string {
  return markdown.replace(MARKER, (whole, name: string) => {
    const block = generatedBlock(name, context, link);
    if (block === undefined) {
      warnings.push(`there is no generated block called "${name}"`);
      return whole;
    }
    return `\n${block}\n`;
  });
}
