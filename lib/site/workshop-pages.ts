import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The workshop's pages (workshop/*.md): reachable from the navigation, not numbered chapters.
 * Known pages come in the order a workshop needs them; any other page follows by name.
 */

export interface WorkshopPage {
  base: string;
  file: string;
  title: string;
  markdown: string;
  page: string;
}

export const WORKSHOP_ORDER = ['cleanup', 'glossary', 'instructor'];
const FILE = /^([a-z0-9][a-z0-9-]*)\.md$/;

export async function loadWorkshopPages(dir: string): Promise<WorkshopPage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rank = (base: string) => {
    const i = WORKSHOP_ORDER.indexOf(base);
    return i === -1 ? WORKSHOP_ORDER.length : i;
  };
  const bases = names
    .map((n) => FILE.exec(n)?.[1])
    .filter((b): b is string => Boolean(b) && b !== 'index' && b !== 'README')
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Promise.all(
    bases.map(async (base) => {
      const file = join(dir, `${base}.md`);
      const markdown = await readFile(file, 'utf8');
      const title = /^#[ \t]+(.+?)[ \t#]*$/m.exec(markdown)?.[1] ?? base;
      return { base, file, title, markdown, page: `${base}.html` };
    }),
  );
}
