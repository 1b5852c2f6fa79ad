import { defaultTargetName, parseTargetName, type TargetName } from '../target.ts';
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

export const DRILL_USAGE = `usage: npm run drill -- --fault <${FAULT_NAMES.join('|')}> [--profile ${PROFILE_NAMES.join('|')}] [--sync] [--failsafe] [--keep] [--hold SECONDS] [--via ${CLIENT_PATHS.join('|')}] [--target lab|vagrant]`;

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
export function parseDrillArgs(argv: readonly string[]): DrillOptions {
  let fault: string | undefined;
  let profile: string | undefined;
  let sync = false;
  let failsafe = false;
  let keep = false;
  let holdSeconds: number | undefined;
  let target: TargetName | undefined;
  let via: ClientPath = 'haproxy';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i]];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value. ${DRILL_USAGE}`);
      return v;
    };
    switch (flag) {
      case '--fault':
        fault = value();
        break;
      case '--profile':
        profile = value();
        break;
      case '--sync':
        sync = true;
        break;
      case '--failsafe':
        failsafe = true;
        break;
      case '--keep':
        keep = true;
        break;
      case '--hold': {
        const v = value();
        holdSeconds = Number(v);
        if (!Number.isFinite(holdSeconds) || holdSeconds <= 0 || holdSeconds > 600)
          throw new UsageError(`--hold takes seconds between 1 and 600, not "${v}"`);
        break;
      }
      case '--target':
        target = parseTargetName(value());
        break;
      case '--via': {
        const v = value();
        if (!(CLIENT_PATHS as readonly string[]).includes(v))
          throw new UsageError(`unknown client path "${v}": choose one of ${CLIENT_PATHS.join(', ')}`);
        via = v as ClientPath;
        break;
      }
      default:
        throw new UsageError(`unknown option "${argv[i]}". ${DRILL_USAGE}`);
    }
  }
  return {
    fault: parseFault(fault),
    profile: profile === undefined ? 'guide' : parseProfile(profile),
    sync,
    failsafe,
    keep,
    holdSeconds,
    via,
    target: target ?? defaultTargetName(),
  };
}

/** `crash-fast-sync`: names the files of a drill and its row in the bench. */
export function drillSlug(o: Pick<DrillOptions, 'fault' | 'profile' | 'sync' | 'failsafe'>): string {
  return [o.fault, o.profile, o.sync && 'sync', o.failsafe && 'failsafe'].filter(Boolean).join('-');
}
