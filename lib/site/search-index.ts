import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';

/** Pagefind's own UI bundles: the site has its own search dialog and loads only pagefind.js. */
const UNUSED = [
  'pagefind-ui.js',
  'pagefind-ui.css',
  'pagefind-modular-ui.js',
  'pagefind-modular-ui.css',
  'pagefind-component-ui.js',
  'pagefind-component-ui.css',
  'pagefind-highlight.js',
];

export interface SearchIndex {
  pages: number;
}

/**
 * Indexes every page's `data-pagefind-body` with Pagefind (the binary comes with the npm package
 * and runs offline) into OUT/pagefind. `_` counts as part of a word, so `pg_rewind` and
 * `use_pg_rewind` are found as written.
 */
export async function buildSearchIndex(outDir: string): Promise<SearchIndex> {
  const { index, errors } = await pagefind.createIndex({ includeCharacters: '_', forceLanguage: 'en' });
  if (!index) throw new Error(`Pagefind did not start: ${errors.join('; ')}`);
  try {
    const added = await index.addDirectory({ path: outDir, glob: '*.html' });
    if (added.errors.length > 0) throw new Error(`Pagefind could not index the site: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
    await Promise.all(UNUSED.map((f) => rm(join(outDir, 'pagefind', f), { force: true })));
    return { pages: added.page_count };
  } finally {
    await pagefind.close();
  }
}
