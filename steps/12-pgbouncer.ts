import { patroniGet } from '../lib/clients/patroni.ts';
import { sleep, waitFor } from '../lib/clients/wait.ts';
import { finishFailover, readFailoverRecord } from '../lib/cluster/failover-record.ts';
import { APP, appViaPgbouncer, superuser, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { rowsAroundPromotions, timelineHistory } from '../lib/cluster/history.ts';
import { applyPgbouncer } from '../lib/cluster/pgbouncer.ts';
import { switchover } from '../lib/cluster/switchover.ts';
import { Writer } from '../lib/cluster/writer.ts';
import { addressOf, HAPROXY_NODE, PORTS } from '../lib/ip-plan.ts';
import { defineStep } from '../lib/step.ts';

const RECORD = 'pgbouncer-failover';
/** The writer's table, the same as by hand: the check looks for its rows around a change of leader. */
const TABLE = 'pgbouncer_test';

/**
 * Chapter 12: PgBouncer on haproxynode, between the clients and HAProxy. Then a switchover
 * while a client writes through PgBouncer: its server connections break, it reconnects
 * through HAProxy to the new leader, and the client carries on.
 */
export default defineStep(async ({ target, host, secrets, say, changed }) => {
  await applyPgbouncer(host(HAPROXY_NODE.name), secrets);

  if (await readFailoverRecord(target.name, RECORD)) return;
  const viaHaproxy = superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary);
  const { leader } = await waitHealthy();
  if (!leader) throw new Error('no leader');
  // A switchover made by hand while writing through PgBouncer shows on the machines: do not add one.
  const around = await rowsAroundPromotions(appViaPgbouncer(secrets), TABLE, await timelineHistory(leader.name)).catch(() => []);
  if (around.some((c) => c.before > 0 && c.after > 0)) {
    say(`the leader already changed while ${TABLE} was written through PgBouncer: no switchover needed`);
    return;
  }
  say(`switchover away from ${leader.name} while a client writes through PgBouncer…`);
  const writer = new Writer(appViaPgbouncer(secrets), TABLE);
  await writer.start();
  await sleep(1500);
  const faultAt = Date.now() - writer.startedAt;
  const newLeader = await switchover(leader.name);
  await waitHaproxyOn(newLeader, { primaryOnly: true });
  const back = await writer.succeedsAfter(faultAt, 60000, addressOf(newLeader));
  await waitHealthy(120000);
  await waitFor(
    'the old leader to answer as a replica',
    async () => ((await patroniGet(leader.host, '/replica')).status === 200 ? true : undefined),
    {
      timeoutMs: 60000,
    },
  );
  const run = {
    oldLeader: leader.name,
    newLeader,
    table: TABLE,
    faultAt,
    back,
    readFrom: { ...viaHaproxy, database: APP.database },
  };
  await finishFailover(
    target.name,
    writer,
    run,
    (r) =>
      changed(
        newLeader,
        `switchover from ${leader.name} seen through PgBouncer: writes back after ${r.backAfterSeconds.toFixed(1)} s, ${r.lost.length} lost`,
      ),
    RECORD,
  );
});
