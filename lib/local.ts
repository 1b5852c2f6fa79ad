import { $ } from 'zx';

/** Runs a command on this machine (not in a lab host); returns its output or throws with stderr. */
export async function local(strings: TemplateStringsArray, ...values: unknown[]): Promise<string> {
  const result = await $({ quiet: true, nothrow: true })(strings, ...values);
  if (result.exitCode !== 0) {
    const cmd = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
    throw new Error(`\`${cmd}\` exited with ${result.exitCode}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Like local, but only reports whether the command succeeded. */
export async function succeeds(strings: TemplateStringsArray, ...values: unknown[]): Promise<boolean> {
  const result = await $({ quiet: true, nothrow: true })(strings, ...values);
  return result.exitCode === 0;
}
