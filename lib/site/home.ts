import type { MarkdownIt } from 'markdown-it';
import { architectureSvg } from './diagram.ts';
import { escapeHtml } from './html.ts';
import { type ChapterSource, titleWithoutNumber } from './sources.ts';
import { type ChapterTime, formatMinutes } from './times.ts';

/** The chapter's opening paragraph ("what and why"), as inline HTML, for the home page's cards. */
export function chapterSummary(md: MarkdownIt, markdown: string): string {
  const afterTitle = markdown
    .replace(/^[\s\S]*?^#[ \t].*$/m, '')
    .replace(/^<!--\s*chapter-card\s*-->[\s\S]*?^<!--\s*\/chapter-card\s*-->$/m, '');
  for (const block of afterTitle.split(/\n[ \t]*\n/)) {
    const text = block.trim();
    if (!text || /^(#|>|```|~~~|<!--|\||[-*+] |\d+\. )/.test(text)) continue;
    return md.renderInline(text.replace(/\s*\n\s*/g, ' '));
  }
  return '';
}

export interface HomePage {
  html: string;
}

export interface HomeTimes {
  times: readonly ChapterTime[];
  /** Where the machine seconds come from, in words. */
  source: string;
  /** The page that explains the times and the schedules. */
  timesPage?: string;
}

/** The time of one chapter on its card: `45 min`. */
function cardTime(time: ChapterTime | undefined): string {
  if (!time) return '';
  return `<span class="card-minutes" data-minutes="${time.minutes}"><span class="visually-hidden">Time: </span>${formatMinutes(time.minutes)}</span>`;
}

/** One line under the chapter list: the whole workbook's time, and how it is measured. */
function totalLine(timing: HomeTimes | undefined): string {
  if (!timing?.times.length) return '';
  const total = timing.times.reduce((sum, t) => sum + t.minutes, 0);
  const core = timing.times.filter((t) => t.number <= 10).reduce((sum, t) => sum + t.minutes, 0);
  const how = timing.timesPage
    ? ` <a href="${escapeHtml(timing.timesPage)}#the-times">How the times are measured</a>, and a one-day and a two-day schedule.`
    : '';
  return `<p class="home-times" data-total-minutes="${total}">All ${timing.times.length} chapters: about <strong>${formatMinutes(total)}</strong> for one person, reading, typing and waiting for the machines (chapters 1–10, the core cluster: ${formatMinutes(core)}). Machine times: ${escapeHtml(timing.source)}.${how}</p>`;
}

export function renderHome(md: MarkdownIt, chapters: ChapterSource[], timing?: HomeTimes): HomePage {
  const first = chapters[0];
  const start = first
    ? `<a class="button button-brand" href="${escapeHtml(first.page)}">Start with chapter ${first.number}</a>`
    : '';
  const cards = chapters.length
    ? `<ol class="chapter-cards">${chapters
        .map(
          (c) =>
            `<li><a href="${escapeHtml(c.page)}"><span class="num">${c.number}</span><span class="card-body"><span class="card-title">${escapeHtml(titleWithoutNumber(c.title))}</span>${cardTime(timing?.times.find((t) => t.number === c.number))}<span class="card-summary">${chapterSummary(md, c.markdown)}</span></span></a></li>`,
        )
        .join('')}</ol>`
    : '<p>No chapters have been written yet.</p>';
  const html = `<section class="hero">
<p class="hero-eyebrow">PostgreSQL 15 · Patroni · etcd · HAProxy · Debian 12</p>
<h1 id="top">Highly available PostgreSQL, one chapter at a time</h1>
<p class="hero-tagline">Build a three-node PostgreSQL cluster that keeps serving when its leader fails. Each chapter shows what to type on which machine, applies it with a script, and proves it with a check.</p>
<p class="hero-actions">${start}<a class="button" href="#how-to-use-the-workbook">How to use the workbook</a></p>
</section>
<h2 id="the-cluster" tabindex="-1">The cluster<a class="header-anchor" href="#the-cluster" aria-label="Link to “The cluster”"></a></h2>
<figure class="architecture">
${architectureSvg()}
<figcaption>Five hosts on the private network 192.168.56.0/24, with the same addresses in the embedded lab and in the Vagrant virtual machines.</figcaption>
</figure>
<h2 id="how-to-use-the-workbook" tabindex="-1">How to use the workbook<a class="header-anchor" href="#how-to-use-the-workbook" aria-label="Link to “How to use the workbook”"></a></h2>
<div class="features">
<div class="feature"><p class="feature-title">Type it by hand</p><p>Every chapter's <em>By hand</em> section shows each command with the prompt of the host it runs on, such as <code>node1$</code>. When you are done, <code>npm run check 5</code> tells you whether it worked and, if not, what to look at.</p></div>
<div class="feature"><p class="feature-title">Or let the step do it</p><p><code>npm run chapter 5</code> applies the chapter with its step script and then runs its check. Steps are idempotent: a second run changes nothing.</p></div>
<div class="feature"><p class="feature-title">Fixes to the original guide</p><p>The workbook follows a classic guide and corrects what no longer works on today's systems. Each correction is explained in the chapter's <em>Differences from the original guide</em> box.</p></div>
</div>
<h2 id="chapters" tabindex="-1">Chapters<a class="header-anchor" href="#chapters" aria-label="Link to “Chapters”"></a></h2>
${cards}
${totalLine(timing)}`;
  return { html };
}
