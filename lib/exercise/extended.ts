import { query } from '../clients/sql.ts';
import { waitFor } from '../clients/wait.ts';
import { observe, superuser } from '../cluster/health.ts';
import { KEEPALIVED_CONF } from '../config/keepalived.ts';
import { PATRONI_CONFIG } from '../config/patroni.ts';
import { PGBOUNCER_USERLIST } from '../config/pgbouncer.ts';
import { scramVerifier } from '../config/scram.ts';
import { TLS_DIR } from '../config/tls.ts';
import { addressOf, ETCD_NODE, HAPROXY_NODE, HAPROXY_NODES, PORTS } from '../ip-plan.ts';
import { generatePassword } from '../secrets.ts';
import { lineOf, pickReplica, runOn, sedLine, victim, waitVipOn } from './cluster.ts';
import { expiredCertificate, validCertificate } from './expired-certificate.ts';
import type { Exercise, ExerciseContext } from './types.ts';

const ts = (chapter: number, entry: string) => `chapter ${chapter}, Troubleshooting: “${entry}”`;

const RELOAD_POSTGRES = `sudo -u postgres psql -c 'select pg_reload_conf()'`;
const APP_LINE = /^"app" /;

/** Waits until a verified TLS session to `node` succeeds (true) or fails because its certificate expired (false). */
async function waitCertificate(ctx: ExerciseContext, node: string, valid: boolean): Promise<void> {
  await waitFor(
    valid ? `${node} to present a valid certificate` : `${node} to present its expired certificate`,
    async () => {
      const outcome = await query({ ...superuser(ctx.secrets, addressOf(node)), tls: true }, 'select 1').then(
        () => 'ok',
        (e: Error) => e.message,
      );
      if (valid) return outcome === 'ok' ? true : undefined;
      return /expired/.test(outcome) ? true : undefined;
    },
    { timeoutMs: 30000, intervalMs: 1000 },
  );
}

const [vipOwner, vipBackup] = HAPROXY_NODES;

export const EXTENDED_EXERCISES: readonly Exercise[] = [
  {
    name: 'etcd-endpoints',
    chapter: 11,
    title: "a replica's Patroni knows only one etcd member",
    notice: () =>
      'nothing, yet: the cluster answers and `patronictl list` shows all three members. An audit says one node would lose the cluster if etcdnode went down.',
    symptom: /lists all three endpoints in every node's Patroni configuration:\s+AssertionError \[ERR_ASSERTION\]: node\d/,
    hints: [
      'The cluster works, so the fault is one that waits for the next failure: which etcd members does each Patroni know of?',
      'Compare the `etcd3:` section of /etc/patroni.yml on node1, node2 and node3 (`sudo grep -A1 etcd3: /etc/patroni.yml`).',
      ts(11, 'A node would not survive the loss of etcdnode'),
    ],
    inject: async (ctx) => {
      const node = await pickReplica();
      const hosts = await lineOf(ctx.host(node), PATRONI_CONFIG, /^ {2}hosts: /);
      const broken = `  hosts: ${ETCD_NODE.address}:${PORTS.etcdClient}`;
      if (hosts === broken) throw new Error(`${node} lists only etcdnode already: is chapter 11 done?`);
      await runOn(ctx, node, `${sedLine(PATRONI_CONFIG, hosts, broken)} && sudo systemctl reload patroni`);
      return { node, hosts, broken };
    },
    fix: (f) => [{ host: victim(f), command: `${sedLine(PATRONI_CONFIG, f.broken, f.hosts)} && sudo systemctl reload patroni` }],
  },
  {
    name: 'pgbouncer-verifier',
    chapter: 12,
    title: "PgBouncer's userlist holds a stale SCRAM verifier",
    notice: () =>
      `clients of PgBouncer (${HAPROXY_NODE.address}:${PORTS.pgbouncer}) get 'SASL authentication failed'; the same password works on port ${PORTS.haproxyPrimary}.`,
    symptom: /logs the application in through PgBouncer[^\n]*:\s+error: (password|SASL) authentication failed/,
    hints: [
      'The password is right (port 5000 takes it): so who says it is wrong? PgBouncer checks it itself, against /etc/pgbouncer/userlist.txt.',
      "userlist.txt must hold the verifier PostgreSQL stores for app (pg_authid.rolpassword): compare the two. Resetting a role's password makes a new verifier.",
      ts(12, 'PgBouncer says SASL authentication failed'),
    ],
    inject: async (ctx) => {
      const { leader } = await observe();
      if (!leader) throw new Error('the cluster has no leader right now: `npm run check 7` says why');
      const line = await lineOf(ctx.host(HAPROXY_NODE.name), PGBOUNCER_USERLIST, APP_LINE);
      // The verifier of a password the role had before: what a forgotten userlist keeps after a reset.
      const stale = `"app" "${scramVerifier(generatePassword())}"`;
      await runOn(ctx, HAPROXY_NODE.name, `${sedLine(PGBOUNCER_USERLIST, line, stale)} && sudo systemctl reload pgbouncer`);
      return { leader: leader.name };
    },
    fix: (f) => [
      {
        host: f.leader ?? 'node1',
        command: `sudo -u postgres psql -Atc "select rolpassword from pg_authid where rolname = 'app'"`,
      },
      {
        host: HAPROXY_NODE.name,
        command: `sudo sed -i 's|^"app" .*$|"app" "<app-verifier>"|' ${PGBOUNCER_USERLIST} && sudo systemctl reload pgbouncer`,
      },
    ],
    values: async (ctx) => {
      const { leader } = await observe();
      const [row] = await query<{ rolpassword: string }>(
        superuser(ctx.secrets, addressOf(leader?.name ?? 'node1')),
        "select rolpassword from pg_authid where rolname = 'app'",
      );
      return { 'app-verifier': row.rolpassword };
    },
  },
  {
    name: 'vip-priority',
    chapter: 13,
    title: 'keepalived priority wrong on haproxynode2',
    notice: () =>
      `clients of the virtual IP still get through, but ${vipOwner.name}'s stats page shows no new sessions: the traffic goes elsewhere.`,
    symptom: new RegExp(`gives the virtual IP to ${vipOwner.name}, and only to it`),
    hints: [
      `Which host holds ${'192.168.56.30'}? \`ip -4 addr show\` on both HAProxy hosts.`,
      'keepalived gives the address to the highest priority whose check passes: compare the `priority` of /etc/keepalived/keepalived.conf on the two hosts.',
      ts(13, 'The virtual IP is on the wrong host'),
    ],
    inject: async (ctx) => {
      const line = await lineOf(ctx.host(vipBackup.name), KEEPALIVED_CONF, /^\s+priority \d+$/);
      const higher = line.replace(/\d+$/, '200');
      await runOn(ctx, vipBackup.name, `${sedLine(KEEPALIVED_CONF, line, higher)} && sudo systemctl restart keepalived`);
      return { line, higher };
    },
    visible: async (ctx) => waitVipOn(ctx, vipBackup.name),
    fix: (f) => [
      { host: vipBackup.name, command: `${sedLine(KEEPALIVED_CONF, f.higher, f.line)} && sudo systemctl restart keepalived` },
    ],
    settle: async (ctx) => waitVipOn(ctx, vipOwner.name),
  },
  {
    name: 'expired-certificate',
    chapter: 15,
    title: "a replica's TLS certificate has expired",
    notice: (f) =>
      `TLS clients that verify the server (sslmode=verify-full) cannot connect to ${victim(f)}; the other nodes are fine.`,
    symptom: /certificate has expired/,
    hints: [
      'What does the client say exactly? Connect to that node with `psql "host=… sslmode=verify-full sslrootcert=…"`.',
      `Read the certificate's dates on the node: \`sudo openssl x509 -noout -dates -in ${TLS_DIR}/server.crt\`.`,
      ts(15, 'certificate has expired'),
    ],
    inject: async (ctx) => {
      const node = await pickReplica();
      const expired = await expiredCertificate(ctx.target.name, node);
      await ctx.host(node).writeFile(`${TLS_DIR}/server.crt`, expired, { owner: 'postgres', group: 'postgres', mode: '0644' });
      await runOn(ctx, node, RELOAD_POSTGRES);
      return { node };
    },
    visible: async (ctx, f) => waitCertificate(ctx, victim(f), false),
    fix: (f) => [
      { host: victim(f), command: `sudo openssl x509 -noout -enddate -in ${TLS_DIR}/server.crt` },
      { host: victim(f), command: `sudo tee ${TLS_DIR}/server.crt >/dev/null <<'EOF'\n<node-certificate>\nEOF` },
      { host: victim(f), command: RELOAD_POSTGRES },
    ],
    values: async (ctx, f) => ({ 'node-certificate': (await validCertificate(ctx.target.name, victim(f))).trim() }),
    settle: async (ctx, f) => waitCertificate(ctx, victim(f), true),
  },
];
