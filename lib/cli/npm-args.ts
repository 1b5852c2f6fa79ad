import { typedArgs } from '../command-line.ts';
import { TARGET_NAMES } from '../target.ts';
import { UsageError } from '../usage-error.ts';

/**
 * `npm run chapter 7 --catch-up` (without `--`) does not pass --catch-up to the workbook: npm keeps
 * it as its own setting (npm_config_catch_up=true), and `--target=vagrant` silently vanishes the
 * same way, so the run would go to the lab. Such a run stops with the command as it should be typed.
 * `options` are the workbook's options of that command; `valued` those that take a value.
 */
export function assertNpmKeptNothing(
  options: readonly string[],
  valued: readonly string[],
  argv = process.argv,
  env = process.env,
): void {
  const script = env.npm_lifecycle_event;
  if (!script) return;
  const kept = options.filter((o) => {
    const v = env[`npm_config_${o.replaceAll('-', '_')}`];
    if (v === undefined || v === '') return false;
    // node-gyp's own `target` (a node version) in an .npmrc is not ours.
    return o !== 'target' || v === 'true' || (TARGET_NAMES as readonly string[]).includes(v);
  });
  if (kept.length === 0) return;
  let positional = typedArgs(argv, env);
  const flags: string[] = [];
  for (const o of kept) {
    const v = env[`npm_config_${o.replaceAll('-', '_')}`] ?? '';
    if (!valued.includes(o)) flags.push(`--${o}`);
    else if (v !== 'true') flags.push(`--${o} ${v}`);
    else {
      // `--target vagrant`: npm took `--target` as a flag and left `vagrant` among the arguments.
      const value = o === 'target' ? positional.find((a) => (TARGET_NAMES as readonly string[]).includes(a)) : positional.at(-1);
      positional = positional.filter((a) => a !== value);
      flags.push(value ? `--${o} ${value}` : `--${o} …`);
    }
  }
  const fixed = ['npm run', script, ...positional, '--', ...flags];
  throw new UsageError(
    `npm kept ${kept.map((o) => `--${o}`).join(' and ')} for itself, so the workbook never saw it: options go after \`--\`, e.g. \`${fixed.join(' ')}\``,
  );
}
