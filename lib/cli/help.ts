import { readFile } from 'node:fs/promises';
import { ROOT } from '../paths.ts';
import { main } from './errors.ts';
import { renderHelp } from './scripts-help.ts';

/** `npm run help`: the workbook's commands, one line each (descriptions in scripts-help.ts). */
await main(async () => {
  const { scripts } = JSON.parse(await readFile(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  // `npm run help | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.stdout.write(
    `${renderHelp(scripts)}\n\nArguments after \`--\` go to the command, e.g. \`npm run chapter 7 -- --catch-up\`. Details: README.md\n`,
  );
  return 0;
});
