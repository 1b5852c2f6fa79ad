import { parseCommandLine } from './parse-args.ts';
import { parseTargetName, TARGET_NAMES, type TargetName } from './target.ts';
import { UsageError } from './usage-error.ts';

export const TARGET_CHOICE_USAGE = `usage: npm run target -- <${TARGET_NAMES.join('|')}>   (no name: show the choice; --forget: back to the default, the lab)`;

/** `npm run target -- [name | --forget]`: show, save or forget the workshop's choice of machines. */
export function parseTargetChoiceArgs(argv: readonly string[]): { choose?: TargetName; forget: boolean } {
  const { values, positionals } = parseCommandLine(argv, { forget: { type: 'boolean' } }, TARGET_CHOICE_USAGE);
  const [name, extra] = positionals;
  if (extra !== undefined || (name !== undefined && values.forget))
    throw new UsageError(`unexpected argument ${extra ?? name}. ${TARGET_CHOICE_USAGE}`);
  if (name === undefined) return { forget: values.forget === true };
  try {
    return { choose: parseTargetName(name), forget: false };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
