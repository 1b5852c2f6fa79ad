import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type ChosenTarget, chosenTarget, parseTargetName, TARGET_NAMES } from './target.ts';
import { UsageError } from './usage-error.ts';

/**
 * Every command line of the workbook is a declaration for node:util's parseArgs, read here:
 * `--name=value` and `--name value` both work everywhere, and every mistake is one UsageError
 * line of the same shape, `what is wrong. usage: …`.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

/** The one --target option: where the machines are. */
export const TARGET_OPTION = { target: { type: 'string' } } as const satisfies Options;

/** How the usage lines write it. */
export const TARGET_USAGE = `--target ${TARGET_NAMES.join('|')}`;

export function parseCommandLine<const O extends Options>(
  argv: readonly string[],
  options: O,
  usage: string,
  { positionals = true }: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: positionals, strict: true });
  } catch (error) {
    const e = error as Error & { code?: string };
    const option = /'(--[\w-]+)/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option ?? e.message}. ${usage}`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const what = /does not take an argument/.test(e.message) ? 'takes no value' : 'needs a value';
      throw new UsageError(`${option ?? 'an option'} ${what}. ${usage}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /Unexpected argument '([^']*)'/.exec(e.message)?.[1];
      throw new UsageError(`unexpected argument ${arg ?? ''}. ${usage}`);
    }
    throw error;
  }
}

/** The target of `--target`, else the one chosen for the workshop (WORKBOOK_TARGET, .workbook/target, the lab). */
export function targetOf(values: { target?: string | boolean | (string | boolean)[] }): ChosenTarget {
  if (typeof values.target !== 'string') return chosenTarget();
  try {
    return { name: parseTargetName(values.target), source: '--target' };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A whole number in [min, max], or the usage error that says so. */
export function wholeNumber(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}
