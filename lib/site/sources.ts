import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAPTERS } from '../chapters/registry.ts';

/** One chapter file found in the chapters folder, in reading order. */
export interface ChapterSource {
  number: number;
  /** `07-start-patroni`: the file's base name, also the page's. */
  base: string;
  file: string;
  /** The first `# ` heading, else the registry's title. */
  title: string;
  markdown: string;
  /** The page's file name in the site: `07-start-patroni.html`. */
  page: string;
}

const CHAPTER_FILE = /^(\d{2,})-[a-z0-9][a-z0-9-]*\.md$/;

/**
 * Every `NN-*.md` in the folder, ordered as lib/chapters/registry.ts lists the chapters; files
 * the registry does not know yet follow in number order, so a new chapter shows up at once.
 */
export async function loadChapterSources(chaptersDir: string): Promise<ChapterSource[]> {
  let names: string[];
  try {
    names = await readdir(chaptersDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((n) => CHAPTER_FILE.test(n));
  const rank = (name: string) => {
    const number = Number(CHAPTER_FILE.exec(name)?.[1]);
    const base = name.slice(0, -3);
    const index = CHAPTERS.findIndex((c) => `${String(c.number).padStart(2, '0')}-${c.slug}` === base);
    return { number, index: index === -1 ? CHAPTERS.length : index };
  };
  files.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra.index - rb.index || ra.number - rb.number || a.localeCompare(b);
  });
  return Promise.all(
    files.map(async (name) => {
      const file = join(chaptersDir, name);
      const markdown = await readFile(file, 'utf8');
      const base = name.slice(0, -3);
      const number = Number(CHAPTER_FILE.exec(name)?.[1]);
      const registered = CHAPTERS.find((c) => c.number === number);
      const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(markdown)?.[1];
      const title = heading ?? (registered ? `${number}. ${registered.title}` : base);
      return { number, base, file, title, markdown, page: `${base}.html` };
    }),
  );
}

/** `7. Start Patroni` → `Start Patroni`, for places that show the number apart. */
export function titleWithoutNumber(title: string): string {
  return title.replace(/^\d+\.\s*/, '');
}
