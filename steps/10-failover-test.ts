import { clusterMembers, leaderOf } from '../lib/clients/patroni.ts';
import { sleep, waitFor } from '../lib/clients/wait.ts';
import { failoverRecordPath, finishFailover, readFailoverRecord } from '../lib/cluster/failover-record.ts';
import { appUser, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { rowsAroundPromotions, timelineHistory } from '../lib/cluster/history.ts';
import { Writer } from '../lib/cluster/writer.ts';
import { addressOf } from '../lib/ip-plan.ts';
import { defineStep } from '../lib/step.ts';

const TABLE = 'failover_test';

/**
 * Chapter 10: while a client writes through HAProxy every 100 ms, stop Patroni on the leader.
 * A replica takes over, HAProxy follows it, and no acknowledged write may be lost. Then the
 * old leader is started again and rejoins as a replica (pg_rewind when its timeline diverged).
 */
export default defineStep(async ({ target, secrets, host, say, changed }) => {
  const done = await readFailoverRecord(target.name);
  if (done) {
    say(
      `the failover test already ran at ${done.at} (${done.oldLeader} → ${done.newLeader}); delete ${failoverRecordPath(target.name)} to run it again`,
    );
    return;
  }
  const { leader } = await waitHealthy();
  if (!leader) throw new Error('no leader');
  // A failover made by hand shows on the machines, and the check judges those: do not add one.
  const history = await timelineHistory(leader.name);
  const survived = await rowsAroundPromotions(appUser(secrets), TABLE, history).catch(() => []);
  if (survived.some((c) => c.before > 0)) {
    say(`a failover was already made while ${TABLE} was written (\`patronictl history\` lists it): nothing to do`);
    return;
  }
  const oldLeader = host(leader.name);

  const writer = new Writer(appUser(secrets), TABLE);
  await writer.start();
  await sleep(2000);

  say(`stopping Patroni on the leader, ${oldLeader.name}, while the writer keeps writing…`);
  const faultAt = Date.now() - writer.startedAt;
  await oldLeader.stop('patroni');
  const newLeader = await waitFor(
    'a new leader',
    async () => {
      const members = await clusterMembers();
      const next = members && leaderOf(members);
      return next && next.name !== oldLeader.name ? next.name : undefined;
    },
    { timeoutMs: 90000 },
  );
  say(`${newLeader} is the new leader; waiting for HAProxy and the writer to follow…`);
  await waitHaproxyOn(newLeader, { primaryOnly: true });
  const back = await writer.succeedsAfter(faultAt, 60000, addressOf(newLeader));

  say(`starting Patroni on ${oldLeader.name} again: it must rejoin as a replica`);
  await oldLeader.start('patroni');
  await waitHealthy(120000);
  await sleep(1000);
  const run = { oldLeader: oldLeader.name, newLeader, table: TABLE, faultAt, back, readFrom: appUser(secrets) };
  await finishFailover(target.name, writer, run, (r) =>
    changed(
      newLeader,
      `took over from ${oldLeader.name}; writes back after ${r.backAfterSeconds.toFixed(1)} s, ${r.lost.length} acknowledged writes lost`,
    ),
  );
});
