import { chapter } from '../chapters/registry.ts';
import { exercise } from '../exercise/registry.ts';
import { ROOT } from '../paths.ts';
import { loadSecrets, SECRET_NAMES } from '../secrets.ts';
import { commandToRecord, parseRecordArgs } from '../site/record/record-args.ts';
import { recordSession } from '../site/record/recorder.ts';
import { writeFileAtomic } from '../site/record/save.ts';
import { recordingName } from '../site/recordings.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';

/**
 * `npm run record 7`: runs `npm run chapter 7` in a pseudo-terminal and saves what it printed,
 * every secret of the target replaced with ********, as site/recordings/07.cast. The site shows
 * it in the chapter's "What you should see".
 */
await main(async () => {
  const args = parseRecordArgs(process.argv.slice(2));
  const command = commandToRecord(args, process.env.WORKBOOK_RECORD_COMMAND);
  const c = chapter(args.number);
  const kind = args.exercise ? 'exercise' : 'chapter';
  if (args.exercise && exercise(args.exercise).chapter !== c.number)
    throw new UsageError(`exercise ${args.exercise} belongs to chapter ${exercise(args.exercise).chapter}, not ${c.number}`);
  if (command.overridden)
    console.log(`recording ${command.argv.join(' ')} (WORKBOOK_RECORD_COMMAND) in place of chapter ${c.number}`);
  else console.log(`recording ${kind} ${c.number} (${c.title}) on target ${args.target}: ${command.argv.join(' ')}`);

  // Loaded before the chapter starts, so that secrets the chapter would generate exist already
  // and are scrubbed from the first byte; loaded again at the end in case the file changed.
  const secrets = async () => {
    const s = await loadSecrets(args.target);
    const values = Object.values(s as unknown as Record<string, unknown>).filter((v): v is string => typeof v === 'string');
    return [...new Set([...SECRET_NAMES.map((name) => s[name]), ...values])];
  };
  const recording = await recordSession({
    argv: command.argv,
    cwd: ROOT,
    cols: args.cols,
    rows: args.rows,
    title: args.exercise ? `Chapter ${c.number}: exercise ${args.exercise}, done by hand` : `Chapter ${c.number}: ${c.title}`,
    secrets,
    echo: (data) => process.stdout.write(data),
  });
  const name = recordingName(c.number, kind).replace(/\.cast$/, '');
  if (recording.exitCode !== 0) {
    const failed = `${args.out}/${name}.failed.cast`;
    await writeFileAtomic(failed, recording.text);
    console.error(`\nthe chapter failed (exit code ${recording.exitCode}): recording kept as ${failed}, not shown on the site`);
    return recording.exitCode;
  }
  const file = `${args.out}/${name}.cast`;
  await writeFileAtomic(file, recording.text);
  console.log(
    `\nsaved ${file} (${recording.cast.events.length} events, secrets scrubbed): npm run site shows it in chapter ${c.number}`,
  );
  return 0;
});
