import { parseCommandLine, TARGET_OPTION, TARGET_USAGE, targetOf } from '../parse-args.ts';
import type { TargetName, TargetSource } from '../target.ts';
import { UsageError } from '../usage-error.ts';

export const FAULT_NAMES = ['graceful', 'crash', 'patroni-kill', 'netcut', 'etcd-down', 'replica-down'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export const PROFILE_NAMES = ['guide', 'fast'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const CLIENT_PATHS = ['haproxy', 'pgbouncer-vip'] as const;
export type ClientPath = (typeof CLIENT_PATHS)[number];

export interface DrillOptions {
  fault: FaultName;
  profile: ProfileName;
  /** synchronous_mode on for the drill. */
  sync: boolean;
  /** failsafe_mode on for the drill. */
  failsafe: boolean;
  /** Leave the drill's profile, synchronous_mode and failsafe_mode in place afterwards. */
  keep: boolean;
  /**
   * The client's path: through HAProxy on haproxynode (default), or through PgBouncer on the
   * virtual IP (chapters 12–13), the way an application would connect once both exist.
   */
  via?: ClientPath;
  /** How long etcd-down and replica-down keep the fault in place; default ttl + 5 s. */
  holdSeconds?: number;
  target: TargetName;
}

export const DRILL_USAGE = `usage: npm run drill -- --fault <${FAULT_NAMES.join('|')}> [--profile ${PROFILE_NAMES.join('|')}] [--sync] [--failsafe] [--keep] [--hold SECONDS] [--via ${CLIENT_PATHS.join('|')}] [${TARGET_USAGE}]   |   npm run drill -- --restore [${TARGET_USAGE}]`;

/** The options of `npm run drill`, declared once (parseDrillArgs, and npm's check in lib/cli/drill.ts). */
export const DRILL_OPTIONS = {
  ...TARGET_OPTION,
  fault: { type: 'string' },
  profile: { type: 'string' },
  sync: { type: 'boolean' },
  failsafe: { type: 'boolean' },
  keep: { type: 'boolean' },
  hold: { type: 'string' },
  via: { type: 'string' },
  restore: { type: 'boolean' },
} as const;

export function parseFault(value: string | undefined): FaultName {
  if ((FAULT_NAMES as readonly string[]).includes(value ?? '')) return value as FaultName;
  throw new UsageError(
    value
      ? `unknown fault "${value}": choose one of ${FAULT_NAMES.join(', ')}`
      : `--fault is required: choose one of ${FAULT_NAMES.join(', ')}`,
  );
}

export function parseProfile(value: string | undefined): ProfileName {
  if ((PROFILE_NAMES as readonly string[]).includes(value ?? '')) return value as ProfileName;
  throw new UsageError(`unknown profile "${value ?? ''}": choose one of ${PROFILE_NAMES.join(', ')}`);
}

/** `--fault crash --profile fast --sync` and friends; every mistake is one line that lists the valid choices. */
export function parseDrillArgs(argv: readonly string[]): DrillOptions & { restore: boolean; targetSource: TargetSource } {
  const { values } = parseCommandLine(argv, DRILL_OPTIONS, DRILL_USAGE, { positionals: false });
  const chosen = targetOf(values);
  const common = { restore: values.restore ?? false, target: chosen.name, targetSource: chosen.source };
  if (common.restore) return { ...common, fault: 'graceful', profile: 'guide', sync: false, failsafe: false, keep: false };
  let holdSeconds: number | undefined;
  if (values.hold !== undefined) {
    holdSeconds = Number(values.hold);
    if (!Number.isFinite(holdSeconds) || holdSeconds <= 0 || holdSeconds > 600)
      throw new UsageError(`--hold takes seconds between 1 and 600, not "${values.hold}"`);
  }
  const via = values.via ?? 'haproxy';
  if (!(CLIENT_PATHS as readonly string[]).includes(via))
    throw new UsageError(`unknown client path "${via}": choose one of ${CLIENT_PATHS.join(', ')}`);
  return {
    ...common,
    fault: parseFault(values.fault),
    profile: values.profile === undefined ? 'guide' : parseProfile(values.profile),
    sync: values.sync ?? false,
    failsafe: values.failsafe ?? false,
    keep: values.keep ?? false,
    holdSeconds,
    via: via as ClientPath,
  };
}

/** `crash-fast-sync`: names the files of a drill and its row in the bench. */
export function drillSlug(o: Pick<DrillOptions, 'fault' | 'profile' | 'sync' | 'failsafe'>): string {
  return [o.fault, o.profile, o.sync && 'sync', o.failsafe && 'failsafe'].filter(Boolean).join('-');
}
