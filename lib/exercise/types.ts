import type { Host } from '../host/host.ts';
import type { Secrets } from '../secrets.ts';
import type { Target } from '../target.ts';

/** What an exercise's parts get: the machines, the cluster's secrets, and a line printer. */
export interface ExerciseContext {
  target: Target;
  secrets: Secrets;
  say: (line: string) => void;
  host(name: string): Host;
}

/**
 * What `start` chose and kept, so that `solve` repairs exactly what was broken (which replica,
 * the line that was replaced): short strings, saved with the running exercise (mode 0600).
 */
export type Facts = Record<string, string>;

/**
 * One command of a fix, as a person types it on `host` (`$` prompts are not used: every fix
 * happens on the machines). `solve` prints it as shown, placeholders and all, then runs the same
 * text with the placeholders filled: the cluster's secrets and the exercise's own `values`.
 */
export interface FixCommand {
  host: string;
  command: string;
}

export interface Exercise {
  name: string;
  chapter: number;
  /** One line for `list`. */
  title: string;
  /** What a user of the cluster notices, printed by `start`: never the cause. */
  notice(facts: Facts): string;
  /** What the chapter's check prints when it fails because of this fault (the CI test asserts it). */
  symptom: RegExp;
  /** Progressive hints, the last one pointing into the chapter's Troubleshooting section. */
  hints: readonly string[];
  /** Breaks the running cluster; returns what it chose (which replica, what it replaced). */
  inject(ctx: ExerciseContext): Promise<Facts>;
  /** Waits until the fault shows from outside, so that the check run right after fails for the documented reason. */
  visible?(ctx: ExerciseContext, facts: Facts): Promise<void>;
  /** The fix, as typed by hand. */
  fix(facts: Facts): FixCommand[];
  /** Values for placeholders of the fix that are not secrets (`<app-verifier>`), read from the cluster when solving. */
  values?(ctx: ExerciseContext, facts: Facts): Promise<Record<string, string>>;
  /** Waits until the cluster has recovered from the fix (a replica streaming again, HAProxy's checks settled). */
  settle?(ctx: ExerciseContext, facts: Facts): Promise<void>;
}
