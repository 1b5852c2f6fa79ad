import type { Exercise } from './types.ts';

export type NpmRun = (...args: string[]) => Promise<{ code: number; output: string }>;

export interface Phase {
  code: number;
  output: string;
  seconds: number;
}

/** One exercise as CI and the bench walk it, each phase an npm command a person would type. */
export interface Walk {
  start: Phase;
  /** `npm run check <chapter>` while the fault is in. */
  failing: Phase;
  solve: Phase;
  /** `npm run exercise -- done`: the chapter's check, green, ends the exercise. */
  done: Phase;
}

async function timed(npm: NpmRun, args: string[]): Promise<Phase> {
  const t = Date.now();
  const result = await npm(...args);
  return { ...result, seconds: (Date.now() - t) / 1000 };
}

/** start → the chapter's check (expected to fail) → solve → done; stops at the first phase that fails unexpectedly. */
export async function walkExercise(e: Exercise, npm: NpmRun): Promise<Partial<Walk>> {
  const walk: Partial<Walk> = {};
  walk.start = await timed(npm, ['exercise', '--', 'start', e.name]);
  if (walk.start.code !== 0) return walk;
  walk.failing = await timed(npm, ['check', String(e.chapter)]);
  walk.solve = await timed(npm, ['exercise', '--', 'solve', e.name]);
  if (walk.solve.code !== 0) return walk;
  walk.done = await timed(npm, ['exercise', '--', 'done']);
  return walk;
}
