import { DRILL_OPTIONS, parseDrillArgs } from '../drill/options.ts';
import { saveDrill } from '../drill/record.ts';
import { restoreGuideSettings, runDrill } from '../drill/run.ts';
import { drillSummary } from '../drill/summary.ts';
import { holdRunLock } from '../run-lock.ts';
import { loadSecrets } from '../secrets.ts';
import { assertTargetIntended, type ChosenTarget, openTarget, targetLine } from '../target.ts';
import { main } from './errors.ts';
import { assertNpmKeptNothing } from './npm-args.ts';

const say = (line: string) => console.log(line);

/** `npm run drill -- --fault crash --profile fast --sync`; `npm run drill -- --restore` puts the guide settings back. */
await main(async () => {
  assertNpmKeptNothing(
    Object.keys(DRILL_OPTIONS),
    Object.entries(DRILL_OPTIONS)
      .filter(([, o]) => o.type === 'string')
      .map(([name]) => name),
  );
  const options = parseDrillArgs(process.argv.slice(2));
  const chosen: ChosenTarget = { name: options.target, source: options.targetSource };
  if (options.restore) {
    assertTargetIntended(chosen);
    await holdRunLock(chosen.name);
    const target = await openTarget(chosen.name);
    say(targetLine(target, chosen.source));
    await target.assertUp();
    const changes = await restoreGuideSettings(target, await loadSecrets(target.name), say);
    say(changes.length ? 'guide profile restored' : 'already in the guide profile (no change)');
    return 0;
  }
  assertTargetIntended(chosen);
  await holdRunLock(options.target);
  const target = await openTarget(options.target);
  say(targetLine(target, chosen.source));
  // Ctrl-C during a drill heals the fault and puts the settings back before leaving; a second one quits at once.
  // A terminal's Ctrl-C reaches this process more than once (directly, and relayed by npm and
  // tsx), so only a second one at least a second later counts as "quit at once".
  const interrupt = new AbortController();
  let interruptedAt = 0;
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) {
      if (Date.now() - interruptedAt > 1000) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    console.error('\ninterrupted: healing the fault and restoring the guide profile first (Ctrl-C again to quit at once)');
    interrupt.abort();
  });
  const record = await runDrill(options, target, await loadSecrets(target.name), (line) => say(`  ${line}`), interrupt.signal);
  const files = await saveDrill(record);
  for (const line of drillSummary(record, files)) say(line);
  return record.healthy && (record.restored || options.keep) && !interrupt.signal.aborted ? 0 : 1;
});
