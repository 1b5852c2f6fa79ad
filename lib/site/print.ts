import { escapeHtml } from './html.ts';
import { type ChapterSource, titleWithoutNumber } from './sources.ts';

/**
 * The whole workbook on one page, for attendees who want paper: a title, the contents, then
 * every chapter as it is on its own page, each starting on a new sheet. Ids are made unique by
 * a prefix per chapter (`ch7-the-check`), and links between chapters become links within the
 * page, so the contents and cross-references work in the PDF too.
 */
export const PRINT_PAGE = 'print.html';

export interface PrintChapter {
  source: ChapterSource;
  /** The chapter's HTML as its own page shows it. */
  contentHtml: string;
}

const chapterId = (source: ChapterSource) => `ch${source.number}`;

/** Rewrites one chapter's ids, and every reference to them, under its own prefix. */
export function prefixIds(html: string, prefix: string, pageIds: ReadonlyMap<string, string>): string {
  const local = (id: string) => `${prefix}${id}`;
  return html
    .replace(/(\sid=")([^"]+)"/g, (_, attr: string, id: string) => `${attr}${local(id)}"`)
    .replace(
      /(\s(?:aria-labelledby|aria-describedby|aria-controls)=")([^"]+)"/g,
      (_, attr: string, ids: string) => `${attr}${ids.split(/\s+/).map(local).join(' ')}"`,
    )
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${local(id)})`)
    .replace(/(\shref=")([^"]*)"/g, (whole, attr: string, href: string) => {
      if (href.startsWith('#')) return `${attr}#${local(href.slice(1))}"`;
      const page = /^([\w.-]+\.html)(?:#(.*))?$/.exec(href);
      const other = page && pageIds.get(page[1]);
      if (!other) return whole;
      return `${attr}#${page[2] ? `${other}-${page[2]}` : other}"`;
    });
}

export function renderPrint(chapters: PrintChapter[]): string {
  const pageIds = new Map(chapters.map((c) => [c.source.page, chapterId(c.source)]));
  const contents = chapters
    .map(
      (c) =>
        `<li><a href="#${chapterId(c.source)}"><span class="num">${c.source.number}</span>${escapeHtml(titleWithoutNumber(c.source.title))}</a></li>`,
    )
    .join('');
  const body = chapters
    .map(
      (c) =>
        `<section class="print-chapter" id="${chapterId(c.source)}" aria-label="${escapeHtml(c.source.title)}">\n${prefixIds(c.contentHtml, `${chapterId(c.source)}-`, pageIds)}\n</section>`,
    )
    .join('\n');
  return `<header class="print-cover">
<p class="hero-eyebrow">PostgreSQL 15 · Patroni · etcd · HAProxy · Debian 12</p>
<h1 id="top">HA PostgreSQL Workbook</h1>
<p class="print-lead">Every chapter on one page, to print or save as a PDF (your browser's Print command). Each chapter starts on a new sheet; the terminal recordings are printed as their transcripts.</p>
<nav class="print-contents" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>${contents}</ol></nav>
</header>
${body}`;
}
