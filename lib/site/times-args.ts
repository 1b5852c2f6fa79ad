import { parseCommandLine } from '../parse-args.ts';
import { UsageError } from '../usage-error.ts';

export const SCHEDULES = ['one-day', 'two-day'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export const TIMES_USAGE = `usage: npm run times [-- ${SCHEDULES.join('|')}…]`;

/** `npm run times -- [one-day|two-day…]`: the schedules to print (none named: the times and both schedules). */
export function parseTimesArgs(argv: readonly string[]): ScheduleName[] {
  const { positionals } = parseCommandLine(argv, {}, TIMES_USAGE);
  for (const name of positionals)
    if (!(SCHEDULES as readonly string[]).includes(name))
      throw new UsageError(`unknown schedule "${name}": choose one of ${SCHEDULES.join(', ')}. ${TIMES_USAGE}`);
  return positionals as ScheduleName[];
}
