import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { APP, appUser, superuser, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { HAPROXY_NODE, PORTS } from '../lib/ip-plan.ts';

describe('chapter 9: clients use the cluster through HAProxy', () => {
  before(async () => {
    await workbook(); // registers the stats password that waitHaproxyOn presents
    const { leader } = await waitHealthy(60000);
    assert.ok(leader);
    // Right after a change of leader (chapters 10, 12, 16), HAProxy still counts the old leader
    // among the replicas, or the new one, for up to fall × inter: port 5001 could then land on
    // the leader, and a read "from a replica" or a refused write would be judged on it.
    await waitHaproxyOn(leader.name);
  });

  it(`logs in as the application role "${APP.user}" to "${APP.database}" through port 5000 with scram-sha-256`, async () => {
    const { secrets } = await workbook();
    const [row] = await query<{ user: string; db: string; superuser: string }>(
      appUser(secrets),
      `select current_user as user, current_database() as db, current_setting('is_superuser') as superuser`,
    );
    assert.equal(row.user, APP.user);
    assert.equal(row.db, APP.database);
    assert.equal(row.superuser, 'off', 'the application role must not be a superuser');
    const [stored] = await query<{ scram: boolean }>(
      superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary),
      `select rolpassword like 'SCRAM-SHA-256$%' as scram from pg_authid where rolname = $1`,
      [APP.user],
    );
    assert.equal(stored?.scram, true, `the password of ${APP.user} is not stored as a SCRAM-SHA-256 verifier`);
  });

  it('writes through port 5000 and reads the row back from a replica through port 5001', async () => {
    const { secrets } = await workbook();
    const marker = `check-${Date.now()}`;
    await query(
      appUser(secrets),
      'create table if not exists workbook_check (marker text primary key, at timestamptz default now())',
    );
    await query(appUser(secrets), 'insert into workbook_check (marker) values ($1)', [marker]);
    const seen = await waitFor(
      'the row to reach a replica',
      async () => {
        const rows = await query<{ recovery: boolean }>(
          appUser(secrets, PORTS.haproxyReplicas),
          'select pg_is_in_recovery() as recovery from workbook_check where marker = $1',
          [marker],
        );
        return rows.length === 1 ? rows[0] : undefined;
      },
      { timeoutMs: 10000, intervalMs: 200 },
    );
    assert.equal(seen.recovery, true);
    await query(appUser(secrets), 'delete from workbook_check where marker = $1', [marker]);
  });

  it('refuses writes on the replicas port (read-only transaction)', async () => {
    const { secrets } = await workbook();
    await assert.rejects(
      query(appUser(secrets, PORTS.haproxyReplicas), 'create table workbook_never (x int)'),
      /read-only transaction/,
    );
  });

  it('refuses a wrong password', async () => {
    const { secrets } = await workbook();
    await assert.rejects(
      query({ ...appUser(secrets), password: `${secrets.app}x` }, 'select 1'),
      /password authentication failed/,
    );
  });
});
