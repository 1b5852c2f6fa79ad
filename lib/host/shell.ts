/** Quoting for the POSIX shell, so values can be placed safely in command lines. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * A command line with every interpolated value quoted, as zx's `$` quotes them:
 * sh`etcdctl member add ${name} --peer-urls=${url}` cannot be split or extended by a value.
 * An array becomes its elements, each quoted. Text written in the template itself stays shell.
 */
export function sh(pieces: TemplateStringsArray, ...values: readonly unknown[]): string {
  const quoted = (v: unknown) => (Array.isArray(v) ? v.map((x) => shellQuote(String(x))).join(' ') : shellQuote(String(v)));
  return pieces.reduce((line, piece, i) => line + piece + (i < values.length ? quoted(values[i]) : ''), '');
}
