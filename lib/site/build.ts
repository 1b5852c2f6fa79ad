import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { includeProblems } from '../chapters/includes.ts';
import { copyAssets, copyRecordings } from './assets.ts';
import { editUrlFor, packageEditUrl } from './edit-url.ts';
import { type CodeHighlighter, createCodeHighlighter } from './highlight.ts';
import { renderHome } from './home.ts';
import { knownSecrets } from './known-secrets.ts';
import { type NavItem, renderPage } from './layout.ts';
import { createMarkdown, newPageEnv } from './markdown.ts';
import { PRINT_PAGE, type PrintChapter, renderPrint } from './print.ts';
import { findRecording, recordingHtml, recordingName } from './recordings.ts';
import { buildSearchIndex } from './search-index.ts';
import { scanForSecrets } from './secret-scan.ts';
import { loadChapterSources, titleWithoutNumber } from './sources.ts';

export interface BuildOptions {
  /** Folder of `NN-slug.md` chapters. */
  chaptersDir: string;
  /** Output folder; replaced as a whole. */
  outDir: string;
  /** Folder of `NN.cast` recordings; none when absent. */
  recordingsDir?: string;
  /** Where `include:` paths are read from to check the copies; the chapters folder's parent by default. */
  includeRoot?: string;
  /** Build the Pagefind index (default true). */
  search?: boolean;
  /** Secrets that must not appear in the output; by default every `.workbook/<target>/secrets.json` on this machine. */
  secrets?: readonly string[];
  /**
   * Where a page's source can be edited online, with `{path}` for its repository path
   * (`chapters/07-start-patroni.md`). By default derived from package.json's `repository`;
   * `null`, or a repository that names no known host, leaves the "Edit this page" link out.
   */
  editUrl?: string | null;
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  pages: string[];
  chapters: number;
  recordings: number;
  warnings: string[];
  searchPages?: number;
  seconds: { total: number; render: number; search: number };
}

const MARKER = '.workbook-site';

let highlighter: Promise<CodeHighlighter> | undefined;
/** One shiki instance per process: site:serve rebuilds reuse it. */
function sharedHighlighter(): Promise<CodeHighlighter> {
  highlighter ??= createCodeHighlighter();
  return highlighter;
}

/** Refuses to replace a folder that is not an earlier build (or empty): the output folder is deleted as a whole. */
async function assertReplaceable(outDir: string, chaptersDir: string): Promise<void> {
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + sep);
  if (outDir === dirname(outDir) || inside(resolve(chaptersDir), outDir)) {
    throw new Error(`refusing to build into ${outDir}: it holds the chapters`);
  }
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch {
    return;
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new Error(`refusing to replace ${outDir}: it is not empty and was not made by npm run site`);
  }
}

const stripTags = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  const chaptersDir = resolve(options.chaptersDir);
  const includeRoot = resolve(options.includeRoot ?? dirname(chaptersDir));
  await assertReplaceable(outDir, chaptersDir);
  const staging = `${outDir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });

  try {
    const sources = await loadChapterSources(chaptersDir);
    const md = createMarkdown(await sharedHighlighter());
    const chapterPages = new Map(sources.map((s) => [`${s.base}.md`, s.page]));
    const home: NavItem = { title: 'Overview', page: 'index.html' };
    const nav: NavItem[] = [
      home,
      ...sources.map((s) => ({ title: titleWithoutNumber(s.title), page: s.page, number: s.number })),
    ];
    const editTemplate = options.editUrl === undefined ? await packageEditUrl() : (options.editUrl ?? undefined);
    const warnings: string[] = [];
    const recordings: string[] = [];
    const pages: string[] = [];
    const printed: PrintChapter[] = [];
    const printPage = sources.length > 0 ? PRINT_PAGE : undefined;

    for (const [i, source] of sources.entries()) {
      const recording = await findRecording(options.recordingsDir, source.number);
      if (recording) recordings.push(recordingName(source.number));
      const exerciseRecording = await findRecording(options.recordingsDir, source.number, 'exercise');
      if (exerciseRecording) recordings.push(recordingName(source.number, 'exercise'));
      const env = newPageEnv(
        chapterPages,
        recording ? recordingHtml(recording) : undefined,
        exerciseRecording ? recordingHtml(exerciseRecording) : undefined,
      );
      const contentHtml = md.render(source.markdown, env);
      const where = relative(process.cwd(), source.file) || source.file;
      if (recording && !/^##\s+What you should see\s*$/m.test(source.markdown)) {
        warnings.push(`${where}: has a recording but no "What you should see" section to show it in`);
      }
      if (exerciseRecording && !/^##\s+Exercise:/m.test(source.markdown)) {
        warnings.push(`${where}: has an exercise recording but no "Exercise: …" section to show it in`);
      }
      for (const w of env.warnings) warnings.push(`${where}: ${w}`);
      for (const w of await includeProblems(source.markdown, includeRoot)) warnings.push(`${where}: ${w}`);
      const description = stripTags(contentHtml.split('</h1>')[1]?.split('</p>')[0] ?? '').slice(0, 200) || source.title;
      const html = renderPage({
        title: source.title,
        page: source.page,
        description,
        contentHtml,
        toc: env.toc,
        nav,
        prev: nav[i],
        next: nav[i + 2],
        hasRecording: Boolean(recording),
        isHome: false,
        source: relative(includeRoot, source.file).split(sep).join('/'),
        editUrl: editUrlFor(editTemplate, relative(includeRoot, source.file).split(sep).join('/')),
        printPage,
      });
      printed.push({ source, contentHtml });
      await writeFile(join(staging, source.page), html);
      pages.push(source.page);
    }

    const homePage = renderHome(md, sources);
    await writeFile(
      join(staging, 'index.html'),
      renderPage({
        title: 'Overview',
        page: 'index.html',
        description: 'Build a highly available PostgreSQL cluster with Patroni, etcd and HAProxy, chapter by chapter.',
        contentHtml: homePage.html,
        // The home page is wide for the diagram and short enough to need no "On this page".
        toc: [],
        nav,
        next: nav[1],
        hasRecording: false,
        isHome: true,
        printPage,
      }),
    );
    pages.unshift('index.html');

    if (printPage) {
      await writeFile(
        join(staging, printPage),
        renderPage({
          title: 'The whole workbook',
          page: printPage,
          description: 'Every chapter of the HA PostgreSQL Workbook on one page, for printing.',
          contentHtml: renderPrint(printed),
          toc: [],
          nav,
          hasRecording: false,
          isHome: false,
          printView: true,
          printPage,
        }),
      );
      pages.push(printPage);
    }

    await copyAssets(staging);
    if (options.recordingsDir) await copyRecordings(options.recordingsDir, recordings, staging);
    await writeFile(join(staging, MARKER), 'Built by npm run site. This folder is replaced on every build.\n');
    const rendered = performance.now();

    let searchPages: number | undefined;
    if (options.search !== false) searchPages = (await buildSearchIndex(staging)).pages;
    const searched = performance.now();

    const secrets = options.secrets ?? (await knownSecrets());
    const hits = await scanForSecrets(staging, secrets);
    if (hits.length > 0) {
      throw new Error(
        `a generated secret appears in the built site (${hits.map((h) => h.file).join(', ')}): nothing was published; find where it comes from before building again`,
      );
    }

    await rm(outDir, { recursive: true, force: true });
    await mkdir(dirname(outDir), { recursive: true });
    await rename(staging, outDir);
    const result: BuildResult = {
      outDir,
      pages,
      chapters: sources.length,
      recordings: recordings.length,
      warnings,
      searchPages,
      seconds: {
        total: (performance.now() - started) / 1000,
        render: (rendered - started) / 1000,
        search: (searched - rendered) / 1000,
      },
    };
    for (const w of warnings) log(`warning: ${w}`);
    return result;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
