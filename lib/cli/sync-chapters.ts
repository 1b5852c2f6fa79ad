import { readdir, readFile, writeFile } from 'node:fs/promises';
import { driftedIncludes, syncIncludes } from '../chapters/includes.ts';
import { ROOT } from '../paths.ts';
import { main } from './errors.ts';

/** Refreshes the copies of steps, checks and configurations inside the chapters; --check only reports drift. */
await main(async () => {
  const checkOnly = process.argv.includes('--check');
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
  if (problems) console.log('run `npm run sync-chapters` to refresh them');
  return problems ? 1 : 0;
});
