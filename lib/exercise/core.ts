import { etcdHealthy } from '../clients/etcd.ts';
import { readDcsConfig } from '../clients/patroni-dcs-config.ts';
import { waitFor } from '../clients/wait.ts';
import { observe, waitHaproxyOn, waitHealthy } from '../cluster/health.ts';
import { HAPROXY_CONFIG } from '../config/haproxy.ts';
import { DATA_DIR, PATRONI_CONFIG } from '../config/patroni.ts';
import { HAPROXY_NODE, SUBNET } from '../ip-plan.ts';
import { generatePassword } from '../secrets.ts';
import { pickReplica, runOn, sedLine, settleHealthy, victim, waitTrust } from './cluster.ts';
import type { Exercise, ExerciseContext } from './types.ts';

const ts = (chapter: number, entry: string) => `chapter ${chapter}, Troubleshooting: “${entry}”`;

/** The replication password in /etc/patroni.yml: the `password:` line after `replication:`, whatever it says now. */
const setReplicationPassword = (value: string) =>
  `sudo sed -i '/^    replication:$/,/password:/ s|^      password: .*$|      password: ${value}|' ${PATRONI_CONFIG}`;

/** Patroni's dynamic pg_hba, typed with patronictl: it rewrites pg_hba.conf on every node and reloads. */
const editHba = (lines: readonly string[]) =>
  `sudo -u postgres patronictl -c ${PATRONI_CONFIG} edit-config --force --apply - <<'EOF'\npostgresql:\n  pg_hba:\n${lines.map((l) => `  - ${l}`).join('\n')}\nEOF`;

const TRUST_LINE = `host all all ${SUBNET} trust`;

/** pg_hba as it is now: Patroni's dynamic configuration (chapter 15), else the file Patroni wrote at bootstrap. */
async function currentHba(ctx: ExerciseContext, node: string): Promise<string[]> {
  const dynamic = ((await readDcsConfig()).postgresql as { pg_hba?: string[] } | undefined)?.pg_hba;
  if (dynamic?.length) return dynamic;
  const file = (await ctx.host(node).readFile(`${DATA_DIR}/pg_hba.conf`)) ?? '';
  return file
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l && !l.startsWith('#'));
}

export const CORE_EXERCISES: readonly Exercise[] = [
  {
    name: 'etcd-down',
    chapter: 5,
    title: 'etcd stopped on etcdnode',
    notice: () =>
      "`etcdctl member list` on etcdnode fails with 'context deadline exceeded'. With etcd alone (before chapter 11), writes fail too: the leader cannot renew its lock and turns read-only.",
    symptom: /did not answer member\/list \(connect ECONNREFUSED/,
    hints: [
      'Which program answers on 192.168.56.21:2379? Ask it the way chapter 5 does, with etcdctl on etcdnode.',
      '"context deadline exceeded" means nothing answered: is etcd running on etcdnode (`systemctl status etcd`)? Its log is /var/log/etcd.log in the lab, `journalctl -u etcd` on a VM.',
      ts(5, 'Error: context deadline exceeded'),
    ],
    inject: async (ctx) => {
      await runOn(ctx, 'etcdnode', 'sudo systemctl stop etcd');
      return {};
    },
    fix: () => [{ host: 'etcdnode', command: 'sudo systemctl start etcd' }],
    settle: async () => {
      await waitFor('etcd to answer on etcdnode', async () => ((await etcdHealthy()) ? true : undefined), { timeoutMs: 30000 });
      // A leader that demoted itself while etcd was away takes the lock again at its next HA loop.
      await settleHealthy();
    },
  },
  {
    name: 'patroni-etcd-v2',
    chapter: 6,
    title: "a replica's Patroni pointed at etcd's v2 API",
    notice: (f) => `\`patronictl list\` shows two members: ${victim(f)} has left the cluster after a restart of its Patroni.`,
    symptom: /an `etcd:` section speaks the v2 API/,
    hints: [
      'The node is gone from the cluster, but its machine is up: what does its Patroni log say about etcd?',
      "Patroni talks to etcd with the API its configuration names: compare the DCS section of /etc/patroni.yml with chapter 6's.",
      ts(6, 'Patroni logs Failed to get list of machines from http://…/v2: … 404 page not found'),
    ],
    inject: async (ctx) => {
      const node = await pickReplica();
      await runOn(ctx, node, `${sedLine(PATRONI_CONFIG, 'etcd3:', 'etcd:')} && sudo systemctl restart patroni`);
      return { node };
    },
    fix: (f) => [{ host: victim(f), command: `${sedLine(PATRONI_CONFIG, 'etcd:', 'etcd3:')} && sudo systemctl restart patroni` }],
    settle: settleHealthy,
  },
  {
    name: 'replication-password',
    chapter: 7,
    title: 'a wrong replication password on one replica',
    notice: (f) => `${victim(f)} is running, but the leader no longer lists it as streaming: it falls behind.`,
    symptom: /is not streaming from node\d/,
    hints: [
      'Ask the leader which replicas stream (`patronictl list`, or pg_stat_replication): which one is missing?',
      "The replica cannot connect: the leader's PostgreSQL log says why, and the replica's /etc/patroni.yml holds what it sends.",
      ts(7, 'A replica runs but does not stream'),
    ],
    inject: async (ctx) => {
      const node = await pickReplica();
      // A password from before a rotation: the rest of the cluster was changed, this node was not.
      await runOn(ctx, node, `${setReplicationPassword(generatePassword())} && sudo systemctl restart patroni`);
      return { node };
    },
    fix: (f) => [
      { host: victim(f), command: `${setReplicationPassword('<replication-password>')} && sudo systemctl restart patroni` },
    ],
    settle: settleHealthy,
  },
  {
    name: 'haproxy-health-check',
    chapter: 8,
    title: "HAProxy's port 5000 health check asks /health instead of /primary",
    notice: () => "clients on port 5000 sometimes get 'cannot execute … in a read-only transaction'.",
    symptom: /primary: node\d UP, node\d UP, node\d UP/,
    hints: [
      "Open HAProxy's stats page (port 7000): how many servers are UP in the primary listener?",
      "HAProxy marks a server UP when Patroni's REST API answers its check with 200: which URL does the check of port 5000 ask, and which nodes answer 200 there (`curl -s -o /dev/null -w '%{http_code}' http://192.168.56.12:8008/…`)?",
      ts(8, 'Writes through port 5000 fail with read-only transaction'),
    ],
    inject: async (ctx) => {
      // /health answers 200 on every running node, leader or replica: all three become UP.
      await runOn(
        ctx,
        HAPROXY_NODE.name,
        `${sedLine(HAPROXY_CONFIG, '    option httpchk GET /primary', '    option httpchk GET /health')} && sudo systemctl reload haproxy`,
      );
      return {};
    },
    fix: () => [
      {
        host: HAPROXY_NODE.name,
        command: `${sedLine(HAPROXY_CONFIG, '    option httpchk GET /health', '    option httpchk GET /primary')} && sudo systemctl reload haproxy`,
      },
    ],
    settle: async () => {
      const { leader } = await waitHealthy();
      if (leader) await waitHaproxyOn(leader.name);
    },
  },
  {
    name: 'pg-hba-trust',
    chapter: 9,
    title: 'a trust line in pg_hba, through Patroni',
    notice: () => 'the application logs in with any password at all.',
    symptom: /refuses a wrong password:\s+AssertionError \[ERR_ASSERTION\]: Missing expected rejection/,
    hints: [
      'PostgreSQL asks for no password: which pg_hba rule does a connection from 192.168.56.0/24 match first (`select * from pg_hba_file_rules`)?',
      'Editing pg_hba.conf does not last: Patroni writes it from its configuration. Look at the dynamic configuration (`patronictl show-config`).',
      ts(9, 'A wrong password is accepted'),
    ],
    inject: async (ctx) => {
      const { leader } = await observe();
      if (!leader) throw new Error('the cluster has no leader right now: `npm run check 7` says why');
      const hba = await currentHba(ctx, leader.name);
      await runOn(ctx, leader.name, editHba([TRUST_LINE, ...hba.filter((l) => l !== TRUST_LINE)]));
      return { node: leader.name, hba: JSON.stringify(hba) };
    },
    visible: async (ctx, f) => waitTrust(ctx, true, [victim(f)]),
    fix: (f) => [{ host: victim(f), command: editHba(JSON.parse(f.hba ?? '[]') as string[]) }],
    settle: async (ctx) => waitTrust(ctx, false),
  },
  {
    name: 'replica-lost',
    chapter: 10,
    title: "a replica's data directory wiped (a replaced disk)",
    notice: (f) =>
      `${victim(f)} is gone from \`patronictl list\`, and its data directory is empty (a replaced disk). Only this replica lost its copy: the leader's data, and every acknowledged write, are intact.`,
    symptom: /2 of 3 members/,
    hints: [
      '`patronictl list`: which member is missing? Is its Patroni running, and what is left in /var/lib/postgresql/15/patroni?',
      'A replica holds nothing the leader does not: Patroni rebuilds an empty data directory from the leader with pg_basebackup when it starts.',
      ts(10, 'A replica lost its data directory'),
    ],
    inject: async (ctx) => {
      const node = await pickReplica();
      // Patroni stops PostgreSQL on its way out; the wipe refuses while a postmaster still runs there.
      await runOn(
        ctx,
        node,
        `sudo systemctl stop patroni && ! sudo test -e ${DATA_DIR}/postmaster.pid && sudo find ${DATA_DIR} -mindepth 1 -delete`,
      );
      return { node };
    },
    fix: (f) => [{ host: victim(f), command: 'sudo systemctl start patroni' }],
    settle: settleHealthy,
  },
];
