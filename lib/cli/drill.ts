import { parseDrillArgs } from '../drill/options.ts';
import { saveDrill } from '../drill/record.ts';
import { restoreGuideSettings, runDrill } from '../drill/run.ts';
import { drillSummary } from '../drill/summary.ts';
import { loadSecrets } from '../secrets.ts';
import { defaultTargetName, openTarget, parseTargetName } from '../target.ts';
import { main } from './errors.ts';

const say = (line: string) => console.log(line);

/** `npm run drill -- --fault crash --profile fast --sync`; `npm run drill -- --restore` puts the guide settings back. */
await main(async () => {
  const argv = process.argv.slice(2);
  if (argv[0] === '--restore') {
    const t = argv.indexOf('--target');
    const target = await openTarget(t >= 0 ? parseTargetName(argv[t + 1] ?? '') : defaultTargetName());
    say(`target: ${target.description}`);
    await target.assertUp();
    const changes = await restoreGuideSettings(target, await loadSecrets(target.name), say);
    say(changes.length ? 'guide profile restored' : 'already in the guide profile (no change)');
    return 0;
  }
  const options = parseDrillArgs(argv);
  const target = await openTarget(options.target);
  say(`target: ${target.description}`);
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
