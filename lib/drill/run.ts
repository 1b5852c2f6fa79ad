import { query } from '../clients/sql.ts';
import { sleep, waitFor } from '../clients/wait.ts';
import {
  appUser,
  appViaPgbouncer,
  healthProblems,
  type Observation,
  observe,
  superuser,
  waitHaproxyOn,
  waitHealthy,
} from '../cluster/health.ts';
import { lostWrites, Writer } from '../cluster/writer.ts';
import { addressOf, VIRTUAL_IP } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';
import type { Target } from '../target.ts';
import { UsageError } from '../usage-error.ts';
import { analyzeDrill, type DrillMarks } from './analyze.ts';
import { FAULTS, victimsOf } from './faults.ts';
import { type DrillOptions, drillSlug } from './options.ts';
import { applySettings, type ClusterSettings, GUIDE_SETTINGS, PROFILES } from './profile.ts';
import type { DrillRecord } from './record.ts';
import { ClusterWatch, PrimaryProbe } from './watch.ts';

export const DRILL_TABLE = 'drill_writes';
/** Writes before the fault, so that the writer and HAProxy are known to work. */
const WARMUP_MS = 3000;
/** Writes after the recovery, so the chart shows the steady state again. */
const TAIL_MS = 1500;
const HEALTHY_TIMEOUT_MS = 150000;

type Say = (line: string) => void;

/** The cluster must be healthy before a drill: one line that says what is wrong, otherwise. */
export async function assertHealthyForDrill(timeoutMs = 15000): Promise<Observation> {
  const deadline = Date.now() + timeoutMs;
  let seen: Observation = { streaming: [] };
  for (;;) {
    seen = await observe();
    const problems = healthProblems(seen);
    if (problems.length === 0 && seen.leader) break;
    if (Date.now() > deadline)
      throw new UsageError(
        `the cluster is not healthy, so a drill would measure nothing useful: ${problems.join('; ')}. Wait for it, or run \`npm run chapter all\``,
      );
    await sleep(1000);
  }
  const leader = seen.leader?.name as string;
  await waitHaproxyOn(leader, { timeoutMs: 20000 }).catch((e: Error) => {
    throw new UsageError(`HAProxy does not route to the leader ${leader}: ${e.message.split('\n')[0]}`);
  });
  return seen;
}

/**
 * The timeline the primary writes on now, from the name of its current WAL file. Patroni's
 * /cluster reports the timeline of the last checkpoint, which lags a promotion for a while.
 */
async function primaryTimeline(secrets: Secrets, node: string): Promise<number | undefined> {
  const rows = await query<{ wal: string }>(
    superuser(secrets, addressOf(node)),
    'select pg_walfile_name(pg_current_wal_lsn()) as wal',
  ).catch(() => []);
  return rows[0] ? Number.parseInt(rows[0].wal.slice(0, 8), 16) : undefined;
}

/** Puts the guide profile back, with synchronous_mode and failsafe_mode off: where every chapter leaves the cluster. */
export function restoreGuideSettings(target: Target, secrets: Secrets, say: Say = () => {}): Promise<string[]> {
  return applySettings(target, secrets, GUIDE_SETTINGS, say);
}

/**
 * One drill on a healthy cluster: switch to the profile, start a writer through HAProxy, inject
 * the fault, heal it (after writes came back on another node, or after the hold time), wait
 * until the cluster is healthy with every node back, count the acknowledged writes the new
 * leader lacks, and put the guide settings back unless told to keep them. Every wait has a
 * timeout, and the fault is healed whatever happens.
 */
export async function runDrill(
  options: DrillOptions,
  target: Target,
  secrets: Secrets,
  say: Say,
  /** Aborting (Ctrl-C) cuts the wait short: the fault is healed at once and the settings restored. */
  signal?: AbortSignal,
): Promise<DrillRecord> {
  const interrupted = new Promise<undefined>((resolve) => {
    if (signal?.aborted) resolve(undefined);
    signal?.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  /** Waits for `work`, or less when the drill is interrupted. */
  const unlessInterrupted = <T>(work: Promise<T>) => Promise.race([work, interrupted]);
  const fault = FAULTS[options.fault];
  const wanted: ClusterSettings = { profile: options.profile, sync: options.sync, failsafe: options.failsafe };
  const timings = PROFILES[options.profile];
  const startedAt = new Date().toISOString();
  const notes: string[] = [];

  await target.assertUp();
  await assertHealthyForDrill();

  let restored = false;
  const restore = async () => {
    if (options.keep) return;
    try {
      const changes = await restoreGuideSettings(target, secrets, say);
      restored = true;
      if (changes.length) say('guide profile restored (synchronous_mode and failsafe_mode off)');
    } catch (error) {
      notes.push(
        `could not restore the guide profile: ${(error as Error).message.split('\n')[0]}. Run \`npm run drill -- --restore\``,
      );
    }
  };

  try {
    await applySettings(target, secrets, wanted, say);
    const before = await waitHealthy(60000);
    if (!before.leader) throw new Error('no leader');
    const oldLeader = before.leader.name;
    const timelineBefore = await primaryTimeline(secrets, oldLeader);
    const victims = await victimsOf(fault, before);
    const hosts = victims.map((v) => target.host(v));
    const holdSeconds = fault.movesLeader ? undefined : (options.holdSeconds ?? timings.ttl + 5);

    const client = options.via === 'pgbouncer-vip' ? appViaPgbouncer(secrets, VIRTUAL_IP) : appUser(secrets);
    const writer = new Writer(client, DRILL_TABLE);
    // The first connection may still meet a HAProxy that settles its checks: retry briefly.
    await waitFor(
      `the writer to create ${DRILL_TABLE} through HAProxy`,
      () =>
        writer.start().then(
          () => true,
          () => undefined,
        ),
      { timeoutMs: 20000 },
    );
    const watch = new ClusterWatch(() => writer.elapsed());
    watch.start();
    // The old leader's PostgreSQL, asked directly: does it still take writes while the fault lasts?
    const probe =
      fault.victim !== 'replica' ? new PrimaryProbe(superuser(secrets, addressOf(oldLeader)), () => writer.elapsed()) : undefined;
    probe?.start();
    const marks: DrillMarks = { faultAt: 0 };
    let healthy = false;
    let after: Observation | undefined;
    try {
      await unlessInterrupted(sleep(WARMUP_MS));
      if (signal?.aborted) throw new Error('interrupted before the fault: nothing was broken');
      if (writer.acknowledged.length === 0)
        throw new Error(
          `no write was acknowledged through HAProxy in ${WARMUP_MS / 1000} s before the fault: is chapter 9 done?`,
        );

      say(`fault: ${fault.what} — on ${victims.join(', ')} (leader: ${oldLeader})`);
      marks.faultAt = writer.elapsed();
      let healed = false;
      const heal = async () => {
        if (healed) return;
        healed = true;
        marks.healAt = writer.elapsed();
        say(`healing: ${victims.join(', ')}`);
        await Promise.all(hosts.map((h) => fault.heal(h)));
      };
      try {
        await Promise.all(hosts.map((h) => fault.inject(h)));
        if (fault.movesLeader) {
          const budgetMs = (timings.ttl + timings.loopWait + 2 * timings.retryTimeout + 30) * 1000;
          const oldAddress = addressOf(oldLeader);
          const back = await unlessInterrupted(
            writer.succeedsAfter(marks.faultAt, budgetMs, (server) => server !== oldAddress).catch(() => undefined),
          );
          if (back)
            say(`writes succeed again on ${back.detail}, ${((back.at - marks.faultAt) / 1000).toFixed(1)} s after the fault`);
          else if (!signal?.aborted)
            notes.push(`writes did not succeed on another node within ${budgetMs / 1000} s of the fault`);
          await unlessInterrupted(sleep(1000));
        } else {
          say(`holding the fault for ${holdSeconds} s…`);
          await unlessInterrupted(sleep((holdSeconds as number) * 1000));
        }
        if (signal?.aborted) notes.push('interrupted: the fault was healed early, the figures are incomplete');
      } finally {
        await heal();
      }

      say('waiting until the cluster is healthy with every node back…');
      try {
        after = await waitHealthy(HEALTHY_TIMEOUT_MS);
        if (after.leader) await waitHaproxyOn(after.leader.name, { timeoutMs: 40000 });
        marks.healthyAt = writer.elapsed();
        healthy = true;
      } catch (error) {
        notes.push((error as Error).message.split('\n')[0]);
        after = await observe();
      }
      await sleep(TAIL_MS);
    } finally {
      await writer.stop();
      await watch.stop();
      await probe?.stop();
    }

    const promoted = watch.promotedAt(oldLeader, marks.faultAt);
    if (promoted) marks.promotedAt = promoted.at;
    const newLeader = after?.leader?.name ?? watch.changes.at(-1)?.leader ?? '?';
    const lost = await lostWrites(appUser(secrets), DRILL_TABLE, writer.acknowledged).catch((error: Error) => {
      notes.push(`could not look the acknowledged writes up on the leader: ${error.message}`);
      return [] as number[];
    });
    const metrics = analyzeDrill(writer.attempts, marks, addressOf(oldLeader), newLeader !== oldLeader, probe?.changes);
    const timelineAfter = after?.leader ? await primaryTimeline(secrets, after.leader.name) : undefined;
    await restore();
    return {
      version: 1,
      slug: drillSlug(options),
      target: target.name,
      startedAt,
      options: {
        fault: options.fault,
        profile: options.profile,
        sync: options.sync,
        failsafe: options.failsafe,
        keep: options.keep,
      },
      what: fault.what,
      victims,
      timings,
      holdSeconds,
      oldLeader,
      newLeader,
      timelineBefore,
      timelineAfter,
      marks,
      table: DRILL_TABLE,
      metrics,
      lost,
      attempts: writer.attempts,
      leaderChanges: watch.changes,
      oldLeaderStates: probe?.changes ?? [],
      healthy,
      restored,
      notes,
    };
  } finally {
    if (!restored) await restore();
  }
}
