import { rm } from 'node:fs/promises';
import { writeStateFile } from '../state.ts';
import { chosenTarget, parseTargetName, TARGET_FILE, TARGET_NAMES } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';

const USAGE = `usage: npm run target -- <${TARGET_NAMES.join('|')}>   (no name: show the choice; --forget: back to the default, the lab)`;

/**
 * `npm run target -- vagrant`: choose the machines once for the whole workshop. Every command
 * then uses them unless --target or WORKBOOK_TARGET says otherwise.
 */
await main(async () => {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length > 1) throw new UsageError(USAGE);
  const [arg] = args;
  if (arg === undefined) {
    const { name, source } = chosenTarget();
    const why =
      source === 'default'
        ? 'the default: nothing chosen yet'
        : source === 'WORKBOOK_TARGET'
          ? 'from the environment variable WORKBOOK_TARGET'
          : `chosen in ${TARGET_FILE}`;
    console.log(`target: ${name} (${why})`);
    return 0;
  }
  if (arg === '--forget') {
    await rm(TARGET_FILE, { force: true });
    console.log('target: back to the default, the lab (--target and WORKBOOK_TARGET still choose per command)');
    return 0;
  }
  if (arg.startsWith('-')) throw new UsageError(USAGE);
  const name = parseTargetName(arg);
  await writeStateFile(TARGET_FILE, `${name}\n`);
  console.log(
    `target: ${name}, saved in ${TARGET_FILE}: every command now uses it (--target or WORKBOOK_TARGET still choose per command)`,
  );
  if (process.env.WORKBOOK_TARGET && process.env.WORKBOOK_TARGET !== name)
    console.log(`note: WORKBOOK_TARGET=${process.env.WORKBOOK_TARGET} is set in this shell and wins over the saved choice`);
  return 0;
});
