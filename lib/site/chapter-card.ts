import type { MarkdownIt } from 'markdown-it';
import { escapeHtml } from './html.ts';
import type { PageEnv } from './markdown.ts';
import { type ChapterTime, formatMinutes, READ_WORDS_PER_MINUTE, TYPED_CHARS_PER_MINUTE } from './times.ts';
import { whereYouAreSvg } from './where-you-are.ts';

/**
 * The chapter card: `<!-- chapter-card -->` … `<!-- /chapter-card -->` near the top of a
 * chapter holds its learning objectives (and the words to know), as markdown GitHub shows too.
 * The site puts them in a box with what only the build can know: the time the chapter takes
 * (times.ts), the map of the hosts it touches (where-you-are.ts), and, from chapter 2 on, how an
 * attendee who fell behind catches up.
 */

const OPEN = /^<!--\s*chapter-card\s*-->\s*$/;
const CLOSE = /^<!--\s*\/chapter-card\s*-->\s*$/;

export interface ChapterCardInfo {
  number: number;
  time: ChapterTime;
  hosts: readonly string[];
  /** Where the machine seconds come from, in words. */
  timesSource: string;
  /** The page that explains the times, e.g. `instructor.html#the-times`; no link without it. */
  timesPage?: string;
}

/** `about 45 min: reading 8, typing 36, the machines 1`. */
export function timeBreakdown(time: ChapterTime): string {
  const reading = time.words / READ_WORDS_PER_MINUTE;
  const typing = time.chars / TYPED_CHARS_PER_MINUTE;
  const machine = time.machineSeconds / 60;
  const part = (label: string, m: number) => `${label} ${m < 1 ? '&lt;1' : Math.round(m)}`;
  const machineNote = time.machine === 'not measured' ? 'the machines: not measured yet' : part('the machines', machine);
  return `reading ${part('', reading).trim()}, typing ${part('', typing).trim()}, ${machineNote} (minutes)`;
}

/** The catch-up line: what to run to have every earlier chapter done, then type this one. */
export function catchUpHtml(number: number): string {
  if (number <= 1) return '';
  const previous = number - 1;
  const command = previous === 1 ? 'npm run chapter 1' : `npm run chapter ${previous} -- --catch-up`;
  const what =
    previous === 1
      ? 'applies chapter 1 and checks it'
      : `applies chapter ${previous}, after whichever of chapters 1–${previous - 1} are not done yet (it runs their checks to find out)`;
  return `<p class="card-catch-up"><strong>Fell behind?</strong> <code>${command}</code> ${what}; then type this chapter by hand. See <a href="01-machines.html#if-you-fall-behind">chapter 1</a>.</p>`;
}

function cardTop(info: ChapterCardInfo): string {
  const { time } = info;
  const how = info.timesPage ? ` <a href="${escapeHtml(info.timesPage)}">How this is measured</a>.` : '';
  const fallback =
    time.machine === 'shared'
      ? ' The machine time is a share of several chapters timed together.'
      : time.machine === 'earlier run'
        ? ' The machine time is from an earlier by-hand run.'
        : '';
  return `<aside class="chapter-card" aria-label="Chapter ${info.number} at a glance" data-chapter-card="${info.number}" data-pagefind-ignore>
<div class="card-main">
<p class="card-time"><span class="card-label">Time</span> <strong data-minutes="${time.minutes}">about ${formatMinutes(time.minutes)}</strong> <span class="card-time-parts">${timeBreakdown(time)}.${fallback}${how}</span></p>
<div class="card-objectives">
<p class="card-label">Learning objectives</p>
`;
}

function cardBottom(info: ChapterCardInfo): string {
  const id = `where-${info.number}`;
  const hosts = info.hosts.length ? info.hosts.join(', ') : 'none';
  return `</div>
${catchUpHtml(info.number)}
</div>
<figure class="card-where" aria-labelledby="${id}-caption">
${whereYouAreSvg(info.hosts, id)}
<figcaption id="${id}-caption"><span class="card-label">Where you are</span> you type on: ${escapeHtml(hosts)}</figcaption>
</figure>
</aside>
`;
}

export function chapterCardPlugin(md: MarkdownIt): void {
  md.core.ruler.after('block', 'workbook-chapter-card', (state) => {
    const env = state.env as unknown as PageEnv;
    const tokens = state.tokens;
    const open = tokens.findIndex((t) => t.type === 'html_block' && OPEN.test(t.content.trim()));
    if (open === -1) return;
    const close = tokens.findIndex((t, i) => i > open && t.type === 'html_block' && CLOSE.test(t.content.trim()));
    if (close === -1) {
      env.warnings.push('<!-- chapter-card --> has no <!-- /chapter-card --> below it');
      return;
    }
    const info = env.chapterCard;
    if (!info) {
      // A page without measured figures (a page that is not a chapter): the objectives alone.
      tokens[open].content = '<aside class="chapter-card"><div class="card-objectives">\n';
      tokens[close].content = '</div></aside>\n';
      return;
    }
    tokens[open].content = cardTop(info);
    tokens[close].content = cardBottom(info);
  });
}
