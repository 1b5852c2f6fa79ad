import { patroniStatus } from '../clients/patroni.ts';
import { type DcsConfig, patchDcsConfig, readDcsConfig } from '../clients/patroni-dcs-config.ts';
import { sleep, waitFor } from '../clients/wait.ts';
import { waitHaproxyOn, waitHealthy } from '../cluster/health.ts';
import { HAPROXY_CONFIG, renderHaproxyConfig } from '../config/haproxy.ts';
import { FAST_TIMINGS, GUIDE_TIMINGS, type Timings } from '../config/timings.ts';
import type { Host } from '../host/host.ts';
import { sh } from '../host/shell.ts';
import { HAPROXY_NODE, POSTGRES_NODES } from '../ip-plan.ts';
import { loadSecrets, type Secrets } from '../secrets.ts';
import type { Target } from '../target.ts';
import { failsafeMembers, memberLeaseTtls } from './dcs.ts';
import type { ProfileName } from './options.ts';

export const PROFILES: Record<ProfileName, Timings> = { guide: GUIDE_TIMINGS, fast: FAST_TIMINGS };

/** What a drill may change on a running cluster, and what it puts back afterwards. */
export interface ClusterSettings {
  profile: ProfileName;
  sync: boolean;
  failsafe: boolean;
}

/** Where every chapter leaves the cluster: the guide's timings, asynchronous, no failsafe. */
export const GUIDE_SETTINGS: ClusterSettings = { profile: 'guide', sync: false, failsafe: false };

/**
 * The PATCH that turns `current` into `wanted`, or undefined when nothing differs. Turning a
 * mode off removes its key (null), so the configuration returns to exactly what bootstrap wrote.
 */
export function configPatch(current: DcsConfig, wanted: ClusterSettings): Record<string, unknown> | undefined {
  const t = PROFILES[wanted.profile];
  const patch: Record<string, unknown> = {};
  if (current.ttl !== t.ttl) patch.ttl = t.ttl;
  if (current.loop_wait !== t.loopWait) patch.loop_wait = t.loopWait;
  if (current.retry_timeout !== t.retryTimeout) patch.retry_timeout = t.retryTimeout;
  if (wanted.sync ? current.synchronous_mode !== true : current.synchronous_mode !== undefined)
    patch.synchronous_mode = wanted.sync ? true : null;
  if (wanted.failsafe ? current.failsafe_mode !== true : current.failsafe_mode !== undefined)
    patch.failsafe_mode = wanted.failsafe ? true : null;
  return Object.keys(patch).length ? patch : undefined;
}

/** How the running cluster differs from `wanted`: empty when it matches. */
export async function settingsDifferences(target: Target, wanted: ClusterSettings = GUIDE_SETTINGS): Promise<string[]> {
  const problems: string[] = [];
  const current = await readDcsConfig();
  const patch = configPatch(current, wanted);
  if (patch) {
    for (const key of Object.keys(patch))
      problems.push(`Patroni's ${key} is ${JSON.stringify(current[key] ?? null)}, not ${JSON.stringify(patch[key])}`);
  }
  const cfg = await target.host(HAPROXY_NODE.name).readFile(HAPROXY_CONFIG);
  if (cfg !== renderHaproxyConfig({ secrets: await loadSecrets(target.name), timings: PROFILES[wanted.profile] }))
    problems.push(`${HAPROXY_CONFIG} is not the ${wanted.profile} profile's`);
  return problems;
}

/**
 * The settings of this chapter's that the running cluster matches (either profile, with or
 * without synchronous_mode and failsafe_mode), or undefined when it matches none: Patroni on one
 * profile and HAProxy on the other, as an interrupted drill leaves it.
 */
export async function runningProfile(target: Target): Promise<ClusterSettings | undefined> {
  const current = await readDcsConfig();
  const cfg = await target.host(HAPROXY_NODE.name).readFile(HAPROXY_CONFIG);
  const secrets = await loadSecrets(target.name);
  for (const profile of Object.keys(PROFILES) as ProfileName[]) {
    const t = PROFILES[profile];
    if (current.ttl !== t.ttl || current.loop_wait !== t.loopWait || current.retry_timeout !== t.retryTimeout) continue;
    if (cfg !== renderHaproxyConfig({ secrets, timings: t })) continue;
    return { profile, sync: current.synchronous_mode === true, failsafe: current.failsafe_mode === true };
  }
  return undefined;
}

/** HAProxy's master (the unit's -p pid file) and its workers. */
const HAPROXY_WORKERS = 'm=$(cat /run/haproxy.pid) && ps -o pid= --ppid "$m"';

/**
 * Validates the file, reloads, and waits until the master runs a new worker. The old worker
 * stops listening at once but may live on for its open sessions (PgBouncer's pooled server
 * connections last minutes), so its exit is not awaited. The new worker starts every server
 * as UP: the caller then waits for HAProxy to route to the leader (waitHaproxyOn).
 */
export async function reloadHaproxy(haproxy: Host): Promise<void> {
  await haproxy.run(sh`haproxy -c -q -f ${HAPROXY_CONFIG}`);
  const workers = async () => (await haproxy.run(HAPROXY_WORKERS, { check: false })).stdout.split(/\s+/).filter(Boolean);
  const old = new Set(await workers());
  await haproxy.services.reload('haproxy');
  let seen: string[] = [];
  await waitFor(
    'HAProxy to replace its worker',
    async () => {
      seen = await workers();
      return seen.some((pid) => !old.has(pid)) ? true : undefined;
    },
    { timeoutMs: 15000, intervalMs: 200 },
    () => `workers ${seen.join(', ') || 'none'} (before the reload: ${[...old].join(', ')})`,
  );
  // The master hands the listeners over once the new worker is ready: leave it that moment.
  await sleep(500);
}

const describeSettings = (s: ClusterSettings) =>
  `${s.profile} profile, synchronous_mode ${s.sync ? 'on' : 'off'}, failsafe_mode ${s.failsafe ? 'on' : 'off'}`;

/**
 * Switches a running cluster to `wanted`: Patroni's dynamic configuration through PATCH /config,
 * HAProxy's check timings through its file and a reload. Waits until every node runs with it:
 * each member's etcd lease carries the new ttl, the leader has (or no longer has) a synchronous
 * standby, the leader has published the failsafe member list, and HAProxy routes to the leader.
 * Returns what it changed.
 */
export async function applySettings(
  target: Target,
  secrets: Secrets,
  wanted: ClusterSettings,
  say: (line: string) => void = () => {},
): Promise<string[]> {
  const changes: string[] = [];
  const timings = PROFILES[wanted.profile];
  const current = await readDcsConfig();
  const patch = configPatch(current, wanted);
  const { leader } = await waitHealthy(60000);
  if (!leader) throw new Error('no leader');
  const leaderAddress = POSTGRES_NODES.find((n) => n.name === leader.name)?.address ?? leader.host;
  if (patch) {
    say(`switching Patroni to the ${describeSettings(wanted)}: PATCH /config ${JSON.stringify(patch)}`);
    await patchDcsConfig(leaderAddress, patch, secrets);
    changes.push(`PATCH /config ${JSON.stringify(patch)}`);
    const slowestLoop = Math.max(current.loop_wait ?? GUIDE_TIMINGS.loopWait, timings.loopWait);
    const timeoutMs = (3 * slowestLoop + 20) * 1000;
    if (patch.ttl !== undefined) {
      let seen: Record<string, number> = {};
      await waitFor(
        `every member to take a lease with the new ttl of ${timings.ttl} s`,
        async () => {
          seen = await memberLeaseTtls();
          const names = POSTGRES_NODES.map((n) => n.name);
          return names.every((n) => seen[n] === timings.ttl) ? true : undefined;
        },
        { timeoutMs },
        () => JSON.stringify(seen),
      );
    }
    if (patch.synchronous_mode !== undefined) {
      await waitFor(
        wanted.sync ? `${leader.name} to name a synchronous standby` : `${leader.name} to stop replicating synchronously`,
        async () => {
          const sync = (await patroniStatus(leaderAddress))?.replication?.some((r) => r.sync_state === 'sync');
          return sync === wanted.sync ? true : undefined;
        },
        { timeoutMs },
      );
    }
    if (wanted.failsafe && patch.failsafe_mode !== undefined) {
      await waitFor(
        `${leader.name} to publish the failsafe member list`,
        async () => {
          const members = await failsafeMembers(leaderAddress);
          return members && POSTGRES_NODES.every((n) => n.name in members) ? true : undefined;
        },
        { timeoutMs },
      );
    }
    // The replicas apply the new configuration one HA cycle after etcd's watch wakes them.
    await sleep(Math.min(timings.loopWait, 3) * 1000);
  }

  const haproxy = target.host(HAPROXY_NODE.name);
  // Keep the file's owner and mode as chapter 8 set them (it holds the stats password).
  const [owner, group, mode] = (await haproxy.run(sh`stat -c '%U %G %a' ${HAPROXY_CONFIG}`)).stdout.trim().split(' ');
  if (await haproxy.writeFile(HAPROXY_CONFIG, renderHaproxyConfig({ secrets, timings }), { owner, group, mode: `0${mode}` })) {
    say(`HAProxy: checks every ${timings.haproxy.inter}, fall ${timings.haproxy.fall}, rise ${timings.haproxy.rise} (reload)`);
    await reloadHaproxy(haproxy);
    changes.push(`${HAPROXY_CONFIG} with the ${wanted.profile} profile's checks, reloaded`);
  }
  const healthy = await waitHealthy(60000);
  if (healthy.leader) await waitHaproxyOn(healthy.leader.name, { timeoutMs: 40000 });
  return changes;
}
