import { failoverOfDrill, failoverRecordPath, readFailoverRecord, writeFailoverRecord } from '../lib/cluster/failover-record.ts';
import { saveDrill } from '../lib/drill/record.ts';
import { runDrill } from '../lib/drill/run.ts';
import { defineStep } from '../lib/step.ts';

const RECORD = 'reliability-drill';

/**
 * Chapter 16: one drill, the hardest of the chapter's faults for data: the leader is killed
 * outright (kill -9 of Patroni and of every PostgreSQL process) while a client writes through
 * HAProxy, with the fast profile and synchronous_mode on. A replica must take over and no
 * acknowledged write may be lost. The drill then puts the guide profile back, so the chapters
 * before this one still find the cluster as they left it.
 */
export default defineStep(async ({ target, secrets, say, changed }) => {
  const done = await readFailoverRecord(target.name, RECORD);
  if (done) {
    say(
      `the reliability drill already ran at ${done.at} (${done.oldLeader} → ${done.newLeader}); delete ${failoverRecordPath(target.name, RECORD)} to run it again`,
    );
    return;
  }
  const record = await runDrill(
    { fault: 'crash', profile: 'fast', sync: true, failsafe: false, keep: false, target: target.name },
    target,
    secrets,
    say,
  );
  const files = await saveDrill(record);
  await writeFailoverRecord(target.name, failoverOfDrill(record, files.json), RECORD);
  changed(
    record.newLeader,
    `took over after ${record.oldLeader} crashed: writes back after ${record.metrics.backAfterSeconds?.toFixed(1) ?? '—'} s, ${record.lost.length} acknowledged writes lost; chart in ${files.svg}`,
  );
  if (!record.healthy || !record.restored) throw new Error(`the drill did not end cleanly: ${record.notes.join('; ')}`);
  // The check judges the machines; what only the writer saw is judged here.
  if (record.newLeader === record.oldLeader) throw new Error(`${record.oldLeader} is still the leader: no failover happened`);
  if (record.metrics.backAfterSeconds === null) throw new Error(`writes never succeeded again: ${record.notes.join('; ')}`);
  if (record.lost.length)
    throw new Error(
      `${record.lost.length} acknowledged writes are missing on the leader (ids ${record.lost.slice(0, 10).join(', ')}…)`,
    );
});
