/** The command as the person typed it, e.g. `npm run chapter 10` or `npm run drill -- --fault crash`. */
export function commandLine(argv = process.argv, env = process.env): string {
  const script = env.npm_lifecycle_event;
  if (!script) return [argv[1]?.replace(/^.*\//, '') ?? 'node', ...argv.slice(2)].join(' ');
  const typed = typedArgs(argv, env);
  const sep = typed.some((a) => a.startsWith('-')) ? ['--'] : [];
  return ['npm run', script, ...sep, ...typed].join(' ');
}

/** The arguments the person typed after `npm run <script>`: without the script's own (`tsx lib/cli/chapter.ts apply`). */
export function typedArgs(argv = process.argv, env = process.env): string[] {
  const args = argv.slice(2);
  const fixed = (env.npm_lifecycle_script ?? '').split(/\s+/);
  const file = fixed.findIndex((t) => /\.[cm]?[jt]s$/.test(t));
  const own = file >= 0 ? fixed.slice(file + 1) : [];
  return own.every((t, i) => args[i] === t) ? args.slice(own.length) : args;
}
