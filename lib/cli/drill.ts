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
  const record = await runDrill(options, target, await loadSecrets(target.name), (line) => say(`  ${line}`));
  const files = await saveDrill(record);
  for (const line of drillSummary(record, files)) say(line);
  return record.healthy && (record.restored || options.keep) ? 0 : 1;
});
