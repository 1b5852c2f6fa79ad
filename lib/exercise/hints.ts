import type { Exercise } from './types.ts';

/**
 * The hints up to the next one: each `hint` shows one more, the earlier ones again above it, so
 * that the attendee decides how much help to take. The last one names the chapter's
 * Troubleshooting entry; after that, `solve` is all that is left.
 */
export function hintLines(e: Exercise, shown: number): { lines: string[]; shown: number } {
  const next = Math.min(shown + 1, e.hints.length);
  const lines = e.hints.slice(0, next).map((h, i) => `hint ${i + 1} of ${e.hints.length}: ${h}`);
  if (next === e.hints.length) lines.push(`no more hints: \`npm run exercise -- solve ${e.name}\` shows and applies the fix`);
  return { lines, shown: next };
}
