/** The command as the person typed it, e.g. `npm run chapter 10` or `npm run drill -- --fault crash`. */
export function commandLine(argv = process.argv, env = process.env): string {
  const script = env.npm_lifecycle_event;
  const args = argv.slice(2);
  if (!script) return [argv[1]?.replace(/^.*\//, '') ?? 'node', ...args].join(' ');
  // The script's own fixed arguments (`tsx lib/cli/chapter.ts apply`) are not the person's.
  const fixed = (env.npm_lifecycle_script ?? '').split(/\s+/);
  const file = fixed.findIndex((t) => /\.[cm]?[jt]s$/.test(t));
  const own = file >= 0 ? fixed.slice(file + 1) : [];
  const typed = own.every((t, i) => args[i] === t) ? args.slice(own.length) : args;
  const sep = typed.some((a) => a.startsWith('-')) ? ['--'] : [];
  return ['npm run', script, ...sep, ...typed].join(' ');
}
