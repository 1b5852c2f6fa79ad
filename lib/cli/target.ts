import { rm } from 'node:fs/promises';
import { writeStateFile } from '../state.ts';
import { chosenTarget, TARGET_FILE } from '../target.ts';
import { parseTargetChoiceArgs } from '../target-args.ts';
import { main } from './errors.ts';
import { assertNpmKeptNothing } from './npm-args.ts';

/**
 * `npm run target -- vagrant`: choose the machines once for the whole workshop. Every command
 * then uses them unless --target or WORKBOOK_TARGET says otherwise.
 */
await main(async () => {
  assertNpmKeptNothing(['forget'], []);
  const { choose: name, forget } = parseTargetChoiceArgs(process.argv.slice(2));
  if (forget) {
    await rm(TARGET_FILE, { force: true });
    console.log('target: back to the default, the lab (--target and WORKBOOK_TARGET still choose per command)');
    return 0;
  }
  if (name === undefined) {
    const chosen = chosenTarget();
    const { source } = chosen;
    const why =
      source === 'default'
        ? 'the default: nothing chosen yet'
        : source === 'WORKBOOK_TARGET'
          ? 'from the environment variable WORKBOOK_TARGET'
          : `chosen in ${TARGET_FILE}`;
    console.log(`target: ${chosen.name} (${why})`);
    return 0;
  }
  await writeStateFile(TARGET_FILE, `${name}\n`);
  console.log(
    `target: ${name}, saved in ${TARGET_FILE}: every command now uses it (--target or WORKBOOK_TARGET still choose per command)`,
  );
  if (process.env.WORKBOOK_TARGET && process.env.WORKBOOK_TARGET !== name)
    console.log(`note: WORKBOOK_TARGET=${process.env.WORKBOOK_TARGET} is set in this shell and wins over the saved choice`);
  return 0;
});
