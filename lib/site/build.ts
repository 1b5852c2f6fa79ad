import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { includeProblems } from '../chapters/includes.ts';
import { copyAssets, copyRecordings } from './assets.ts';
import { editUrlFor, packageEditUrl } from './edit-url.ts';
import { fillGenerated, type TimesContext } from './generated.ts';
import { GLOSSARY_FILE, glossaryTerms } from './glossary.ts';
import { type CodeHighlighter, createCodeHighlighter } from './highlight.ts';
import { renderHome } from './home.ts';
import { knownSecrets } from './known-secrets.ts';
import { type NavItem, renderPage } from './layout.ts';
import { createMarkdown, newPageEnv } from './markdown.ts';
import { loadMeasuredTimes, type MeasuredTimes } from './measured-times.ts';
import { PRINT_PAGE, type PrintChapter, renderPrint } from './print.ts';
import { findRecording, recordingHtml, recordingName } from './recordings.ts';
import { buildSearchIndex } from './search-index.ts';
import { scanForSecrets } from './secret-scan.ts';
import { loadChapterSources, titleWithoutNumber } from './sources.ts';
import { type ChapterTime, chapterTimes } from './times.ts';
import { hostsTouched } from './where-you-are.ts';
import { loadWorkshopPages } from './workshop-pages.ts';

export interface BuildOptions {
  /** Folder of `NN-slug.md` chapters. */
  chaptersDir: string;
  /** Output folder; replaced as a whole. */
  outDir: string;
  /** Folder of the workshop's pages (cleanup, glossary, instructor); `workshop/` beside the chapters folder by default. */
  workshopDir?: string;
  /** The by-hand machine times; bench/results/by-hand-times.json, else its committed fallback, by default. */
  measuredTimes?: MeasuredTimes;
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
  /** The workshop's pages built (workshop/*.md). */
  workshopPages: number;
  /** Each chapter's time (times.ts), as shown on the home page and the chapter cards. */
  times: ChapterTime[];
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

/** The page's description: its first paragraph after the title, the chapter card left out. */
function describe(contentHtml: string, fallback: string): string {
  const afterTitle = (contentHtml.split('</h1>')[1] ?? '').replace(/<aside class="chapter-card"[\s\S]*?<\/aside>/, '');
  return stripTags(afterTitle.split('</p>')[0] ?? '').slice(0, 200) || fallback;
}

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
    const workshop = await loadWorkshopPages(options.workshopDir ?? join(dirname(chaptersDir), 'workshop'));
    const md = createMarkdown(await sharedHighlighter());
    const chapterPages = new Map([
      ...sources.map((s) => [`${s.base}.md`, s.page] as const),
      ...workshop.map((w) => [`${w.base}.md`, w.page] as const),
    ]);
    const home: NavItem = { title: 'Overview', page: 'index.html' };
    const nav: NavItem[] = [
      home,
      ...sources.map((s) => ({ title: titleWithoutNumber(s.title), page: s.page, number: s.number })),
    ];
    const workshopNav: NavItem[] = workshop.map((w) => ({ title: w.title, page: w.page }));
    const order = [...nav, ...workshopNav];
    const editTemplate = options.editUrl === undefined ? await packageEditUrl() : (options.editUrl ?? undefined);
    const warnings: string[] = [];
    const recordings: string[] = [];
    const pages: string[] = [];
    const printed: PrintChapter[] = [];
    const printPage = sources.length > 0 ? PRINT_PAGE : undefined;
    const measured = options.measuredTimes ?? (await loadMeasuredTimes());
    let times: ChapterTime[] = [];
    try {
      times = chapterTimes(sources, measured);
    } catch (error) {
      warnings.push(`no chapter times: ${(error as Error).message}`);
    }
    const timeOf = (n: number) => times.find((t) => t.number === n);
    const glossarySource = workshop.find((w) => `${w.base}.md` === GLOSSARY_FILE);
    const glossary = glossarySource ? new Map(glossaryTerms(glossarySource.markdown).map((t) => [t.id, t])) : undefined;
    const instructor = workshop.find((w) => w.base === 'instructor');
    const repoPath = (file: string) => relative(includeRoot, file).split(sep).join('/');

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
      env.glossary = glossary;
      const time = timeOf(source.number);
      if (time) {
        env.chapterCard = {
          number: source.number,
          time,
          hosts: hostsTouched(source.markdown),
          timesSource: measured.source,
          timesPage: instructor ? `${instructor.page}#the-times` : undefined,
        };
      }
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
      const html = renderPage({
        title: source.title,
        page: source.page,
        description: describe(contentHtml, source.title),
        contentHtml,
        toc: env.toc,
        nav,
        workshop: workshopNav,
        prev: order[i],
        next: order[i + 2],
        hasRecording: Boolean(recording),
        isHome: false,
        source: repoPath(source.file),
        editUrl: editUrlFor(editTemplate, repoPath(source.file)),
        printPage,
      });
      printed.push({ source, contentHtml });
      await writeFile(join(staging, source.page), html);
      pages.push(source.page);
    }

    const timesContext: TimesContext = {
      chapters: sources.flatMap((s) => {
        const time = timeOf(s.number);
        return time
          ? [
              {
                number: s.number,
                title: titleWithoutNumber(s.title),
                minutes: time.minutes,
                time,
                page: `../chapters/${s.base}.md`,
              },
            ]
          : [];
      }),
      source: measured.source,
      fallback: measured.fallback,
    };
    for (const [j, w] of workshop.entries()) {
      const env = newPageEnv(chapterPages);
      env.glossary = glossary;
      const where = relative(process.cwd(), w.file) || w.file;
      const markdown = fillGenerated(w.markdown, timesContext, env.warnings);
      const contentHtml = md.render(markdown, env);
      for (const warning of env.warnings) warnings.push(`${where}: ${warning}`);
      const index = sources.length + 1 + j;
      await writeFile(
        join(staging, w.page),
        renderPage({
          title: w.title,
          page: w.page,
          description: describe(contentHtml, w.title),
          contentHtml,
          toc: env.toc,
          nav,
          workshop: workshopNav,
          prev: order[index - 1],
          next: order[index + 1],
          hasRecording: false,
          isHome: false,
          source: repoPath(w.file),
          editUrl: editUrlFor(editTemplate, repoPath(w.file)),
          printPage,
        }),
      );
      pages.push(w.page);
    }

    const homePage = renderHome(
      md,
      sources,
      times.length ? { times, source: measured.source, timesPage: instructor?.page } : undefined,
    );
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
        workshop: workshopNav,
        next: order[1],
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
          workshop: workshopNav,
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
      workshopPages: workshop.length,
      times,
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
