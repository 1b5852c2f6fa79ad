import { UsageError } from '../usage-error.ts';
import { CORE_EXERCISES } from './core.ts';
import { EXTENDED_EXERCISES } from './extended.ts';
import type { Exercise } from './types.ts';

/** Every exercise, in chapter order: the order of `list` and of the CI test. */
export const EXERCISES: readonly Exercise[] = [...CORE_EXERCISES, ...EXTENDED_EXERCISES];

export function exercise(name: string | undefined): Exercise {
  const found = EXERCISES.find((e) => e.name === name);
  if (found) return found;
  throw new UsageError(
    `${name ? `unknown exercise "${name}"` : 'name an exercise'}: choose one of ${EXERCISES.map((e) => e.name).join(', ')} (\`npm run exercise -- list\`)`,
  );
}
