import { buildSite } from '../site/build.ts';
import { displayPath, parseSiteArgs } from '../site/cli-args.ts';
import { main } from './errors.ts';

/** `npm run site [-- CHAPTERS_DIR] [--out DIR] [--recordings DIR] [--no-search]` */
await main(async () => {
  const args = parseSiteArgs(process.argv.slice(2));
  const result = await buildSite({ ...args, log: (line) => console.log(line) });
  const s = result.seconds;
  const where = displayPath(result.outDir);
  console.log(
    `built ${result.pages.length} pages (${result.chapters} chapters, ${result.recordings} recordings) into ${where} in ${s.total.toFixed(2)} s` +
      (result.searchPages !== undefined
        ? ` (search index: ${result.searchPages} pages, ${s.search.toFixed(2)} s)`
        : ' (no search index)'),
  );
  if (result.chapters === 0) console.log(`note: no chapters found in ${args.chaptersDir}: the site has its home page only`);
  return 0;
});
