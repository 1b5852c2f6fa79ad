import { readdir, readFile, writeFile } from 'node:fs/promises';
import { driftedIncludes, syncIncludes } from '../chapters/includes.ts';
import { PICK_LIST_FILES, syncChapterPickList } from '../chapters/pick-lists.ts';
import { parseCommandLine } from '../parse-args.ts';
import { ROOT } from '../paths.ts';
import { main } from './errors.ts';

const USAGE = 'usage: npm run sync-chapters [-- --check]';

/**
 * Refreshes every place that repeats a chapter or a file: the copies of steps, checks and
 * configurations inside the chapters, and the chapter pick lists of .vscode/ (from
 * lib/chapters/registry.ts). --check only reports drift.
 */
await main(async () => {
  const checkOnly = parseCommandLine(process.argv.slice(2), { check: { type: 'boolean' } }, USAGE, { positionals: false }).values
    .check;
  const dir = `${ROOT}/chapters`;
  let problems = 0;
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.md')).sort()) {
    const path = `${dir}/${name}`;
    const text = await readFile(path, 'utf8');
    if (checkOnly) {
      for (const spec of await driftedIncludes(text)) {
        console.log(`chapters/${name}: the copy of ${spec} is out of date`);
        problems++;
      }
      continue;
    }
    const synced = await syncIncludes(text);
    if (synced !== text) {
      await writeFile(path, synced);
      console.log(`updated chapters/${name}`);
    }
  }
  for (const file of PICK_LIST_FILES) {
    const text = await readFile(`${ROOT}/${file}`, 'utf8');
    const synced = syncChapterPickList(text);
    if (synced === text) continue;
    if (checkOnly) {
      console.log(`${file}: the chapter pick list differs from lib/chapters/registry.ts`);
      problems++;
    } else {
      await writeFile(`${ROOT}/${file}`, synced);
      console.log(`updated ${file}`);
    }
  }
  if (problems) console.log('run `npm run sync-chapters` to refresh them');
  return problems ? 1 : 0;
});
