import { query } from '../clients/sql.ts';
import { PGBOUNCER_INI, PGBOUNCER_USERLIST, renderPgbouncerIni, renderUserlist } from '../config/pgbouncer.ts';
import { HAPROXY_NODE, PORTS } from '../ip-plan.ts';
import { FEATURE_PACKAGES } from '../packages.ts';
import type { Secrets } from '../secrets.ts';
import type { StepHost } from '../step.ts';
import { APP, superuser } from './health.ts';

/**
 * PgBouncer on an HAProxy host: installed, configured with the application role's SCRAM
 * verifier (read from pg_authid through HAProxy), running and enabled. Chapters 12 and 13.
 */
export async function applyPgbouncer(host: StepHost, secrets: Secrets): Promise<void> {
  await host.install(FEATURE_PACKAGES.pgbouncer);
  const viaHaproxy = superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary);
  const [app] = await query<{ rolpassword: string }>(viaHaproxy, 'select rolpassword from pg_authid where rolname = $1', [
    APP.user,
  ]);
  if (!app) throw new Error(`role ${APP.user} does not exist: run chapter 9 first`);
  const options = { owner: 'postgres', mode: '0640' };
  await host.configure('pgbouncer', [
    { path: PGBOUNCER_USERLIST, content: renderUserlist({ [APP.user]: app.rolpassword }), options },
    { path: PGBOUNCER_INI, content: renderPgbouncerIni(APP.database), options },
  ]);
}
