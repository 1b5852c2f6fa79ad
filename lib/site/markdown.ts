import markdownIt, { type MarkdownIt } from 'markdown-it';
import { type ChapterCardInfo, chapterCardPlugin } from './chapter-card.ts';
import { type GlossaryTerm, glossaryPlugin } from './glossary.ts';
import type { CodeHighlighter } from './highlight.ts';
import { escapeHtml } from './html.ts';
import { alertsPlugin } from './md-alerts.ts';
import { anchorsPlugin } from './md-anchors.ts';
import { byHandPlugin } from './md-byhand.ts';
import { diagramsPlugin } from './md-diagrams.ts';
import { fencePlugin } from './md-fence.ts';
import { imagesPlugin } from './md-images.ts';
import { includesPlugin } from './md-includes.ts';
import { linksPlugin } from './md-links.ts';
import { sectionsPlugin } from './md-sections.ts';
import { Slugger } from './slug.ts';
import { targetTabsPlugin } from './target-tabs.ts';

export interface TocEntry {
  level: number;
  id: string;
  text: string;
}

/** Per-page state the plugins fill in while rendering. */
export interface PageEnv {
  [key: string | symbol]: unknown;
  slugger: Slugger;
  toc: TocEntry[];
  warnings: string[];
  /** Chapter file names (`07-start-patroni.md`) → page names, for links between chapters. */
  chapterPages: ReadonlyMap<string, string>;
  /** HTML placed at the end of "What you should see": the recording, when there is one. */
  recordingHtml?: string;
  /** HTML placed at the end of the "Exercise: …" section: the exercise done by hand, when recorded. */
  exerciseRecordingHtml?: string;
  /** A chapter's figures for its card (chapter-card.ts): time, hosts touched. */
  chapterCard?: ChapterCardInfo;
  /** The glossary's terms by id, for the tooltips of links into it (glossary.ts). */
  glossary?: ReadonlyMap<string, GlossaryTerm>;
}

export function newPageEnv(
  chapterPages: ReadonlyMap<string, string>,
  recordingHtml?: string,
  exerciseRecordingHtml?: string,
): PageEnv {
  return {
    slugger: new Slugger(['main', 'sidebar', 'toc', 'nav-toggle', 'search-dialog', 'zoom-title']),
    toc: [],
    warnings: [],
    chapterPages,
    recordingHtml,
    exerciseRecordingHtml,
  };
}

/** The chapter renderer: CommonMark + tables, with the workbook's own plugins. */
export function createMarkdown(highlighter: CodeHighlighter): MarkdownIt {
  const md = markdownIt({ html: true, linkify: false, typographer: false });
  md.use(includesPlugin);
  md.use(byHandPlugin);
  md.use(diagramsPlugin);
  md.use(chapterCardPlugin);
  md.use(targetTabsPlugin);
  md.use(alertsPlugin);
  md.use(anchorsPlugin);
  md.use(sectionsPlugin);
  md.use(linksPlugin);
  md.use(glossaryPlugin);
  md.use(imagesPlugin);
  md.use(fencePlugin, highlighter);
  md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

export function renderMarkdown(md: MarkdownIt, source: string, env: PageEnv): string {
  return md.render(source, env);
}

export { escapeHtml };
