import { escapeHtml } from './html.ts';
import type { TocEntry } from './markdown.ts';

export const SITE_NAME = 'HA PostgreSQL Workbook';

export interface NavItem {
  title: string;
  page: string;
  number?: number;
}

export interface PageModel {
  /** The page's own title (without the site name). */
  title: string;
  page: string;
  description: string;
  contentHtml: string;
  toc: TocEntry[];
  nav: NavItem[];
  /** The workshop's pages (cleanup, glossary, instructor): in the sidebar below the chapters. */
  workshop?: NavItem[];
  prev?: NavItem;
  next?: NavItem;
  /** The page shows a recording: site.js loads the asciinema-player when it is played, not before. */
  hasRecording: boolean;
  isHome: boolean;
  /** Repository path of the page's source, shown in the footer. */
  source?: string;
  /** Where the source can be edited online; no "Edit this page" link without it. */
  editUrl?: string;
  /** The one-page print view of the whole workbook; no link to it when absent. */
  printPage?: string;
  /** The print view of the whole workbook: left out of the search index. */
  printView?: boolean;
}

const ICON_SEARCH =
  '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="7"/><path d="m20 20-3.5-3.5"/></svg>';
const ICON_MENU = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 6h16M4 12h16M4 18h16"/></svg>';
const LOGO =
  '<svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect x="3" y="5" width="11" height="8" rx="2"/><rect x="18" y="5" width="11" height="8" rx="2"/><rect x="10.5" y="19" width="11" height="8" rx="2"/><path d="M8.5 13v3h15v-3M16 16v3"/></svg>';

function sidebar(model: PageModel): string {
  const item = (n: NavItem) => {
    const current = n.page === model.page ? ' aria-current="page"' : '';
    const num = n.number !== undefined ? `<span class="num">${n.number}</span>` : '';
    const chapter = n.number !== undefined ? ` data-chapter="${escapeHtml(n.page)}"` : '';
    return `<li><a href="${escapeHtml(n.page)}"${current}${chapter}>${num}<span class="label">${escapeHtml(n.title)}</span></a></li>`;
  };
  const [home, ...chapters] = model.nav;
  const list = chapters.length
    ? `<ol class="chapter-list">${chapters.map(item).join('')}</ol>`
    : '<p class="sidebar-empty">No chapters yet.</p>';
  return `<nav class="sidebar" id="sidebar" aria-label="Chapters">
<ul class="sidebar-home">${home ? item(home) : ''}</ul>
<p class="sidebar-title">Chapters<span class="sidebar-progress" data-progress hidden></span></p>
${list}
${
  model.workshop?.length
    ? `<p class="sidebar-title">Workshop</p>\n<ul class="sidebar-workshop">${model.workshop.map(item).join('')}</ul>`
    : ''
}
${model.printPage ? `<p class="sidebar-print"><a href="${escapeHtml(model.printPage)}">The whole workbook on one page, for printing</a></p>` : ''}
</nav>`;
}

function toc(entries: TocEntry[]): string {
  if (entries.length === 0) return '';
  const items = entries
    .map((e) => `<li class="toc-h${e.level}"><a href="#${escapeHtml(e.id)}">${escapeHtml(e.text)}</a></li>`)
    .join('');
  return `<aside class="toc" aria-labelledby="toc-title"><p class="toc-title" id="toc-title">On this page</p><ul>${items}</ul></aside>`;
}

/**
 * "On this page" for screens narrower than 1280 px, where the side list does not fit: a bar that
 * stays under the top bar and opens the list. It is a <details>, so it opens without JavaScript.
 */
function localNav(entries: TocEntry[]): string {
  if (entries.length === 0) return '';
  const items = entries
    .map((e) => `<li class="toc-h${e.level}"><a href="#${escapeHtml(e.id)}">${escapeHtml(e.text)}</a></li>`)
    .join('');
  return `<details class="local-nav" data-pagefind-ignore><summary><span class="local-nav-title">On this page</span><span class="local-nav-current" aria-hidden="true"></span></summary><nav aria-label="On this page"><ul>${items}</ul></nav></details>`;
}

function pager(model: PageModel): string {
  if (!model.prev && !model.next) return '';
  const link = (n: NavItem | undefined, rel: 'prev' | 'next') => {
    if (!n) return '<span></span>';
    const label = rel === 'prev' ? 'Previous' : 'Next';
    const num = n.number !== undefined ? `${n.number}. ` : '';
    return `<a class="pager-${rel}" rel="${rel}" href="${escapeHtml(n.page)}"><span class="pager-label">${label}</span><span class="pager-title">${escapeHtml(num + n.title)}</span></a>`;
  };
  return `<nav class="pager" aria-label="Previous and next page">${link(model.prev, 'prev')}${link(model.next, 'next')}</nav>`;
}

/** The whole HTML document of one page. Every URL is relative, so the site works from any folder. */
export function renderPage(model: PageModel): string {
  const title = model.isHome ? SITE_NAME : `${model.title} · ${SITE_NAME}`;
  const edit = model.editUrl ? ` · <a class="edit-link" href="${escapeHtml(model.editUrl)}">Edit this page</a>` : '';
  const source = model.source ? `<p>Source: <code>${escapeHtml(model.source)}</code>${edit}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="description" content="${escapeHtml(model.description)}">
<title>${escapeHtml(title)}</title>
<link rel="preload" href="assets/fonts/inter-latin-wght-normal.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="assets/style.css">
<link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
<script src="assets/site.js" defer></script>
</head>
<body class="${model.isHome ? 'page-home' : 'page-doc'}${model.printView ? ' page-print' : ''}">
<a class="skip-link" href="#main">Skip to content</a>
<input type="checkbox" id="nav-toggle" class="nav-toggle" aria-controls="sidebar">
<header class="topbar">
<label for="nav-toggle" class="nav-toggle-label" title="Chapters">${ICON_MENU}<span class="visually-hidden">Show the chapters</span></label>
<a class="brand" href="index.html">${LOGO}<span>${SITE_NAME}</span></a>
<div class="topbar-actions">
<button class="search-button" type="button" data-search-open hidden aria-haspopup="dialog" aria-controls="search-dialog">${ICON_SEARCH}<span class="search-button-text">Search</span><kbd>/</kbd></button>
</div>
</header>
<div class="layout">
${sidebar(model)}
<main id="main" class="main" tabindex="-1">
<div class="main-inner">
<div class="content">
${localNav(model.toc)}
<article class="doc"${model.printView ? '' : ' data-pagefind-body'}>
${model.contentHtml}
</article>
${pager(model)}
<footer class="page-footer">${source}<p>${SITE_NAME}: a highly available PostgreSQL cluster with Patroni, etcd and HAProxy.</p></footer>
</div>
${toc(model.toc)}
</div>
</main>
</div>
<dialog id="search-dialog" class="search-dialog" aria-label="Search the workbook">
<form class="search-form" method="dialog" role="search">
${ICON_SEARCH}<input id="search-input" type="search" placeholder="Search the workbook" autocomplete="off" spellcheck="false" aria-label="Search the workbook" aria-controls="search-results">
<button type="submit" class="search-close" value="close" aria-label="Close search">Esc</button>
</form>
<div id="search-results" class="search-results" aria-live="polite"></div>
</dialog>
</body>
</html>
`;
}
