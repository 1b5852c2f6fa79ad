import { query } from '../lib/clients/sql.ts';
import { APP, superuser } from '../lib/cluster/health.ts';
import { scramVerifier, verifierMatches } from '../lib/config/scram.ts';
import { HAPROXY_NODE, PORTS } from '../lib/ip-plan.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 9: connect through HAProxy, as a client would, and create what an application
 * needs: its own role (never the superuser) and its own database. The password goes over
 * as a SCRAM verifier, so the server never sees it in clear.
 */
export default defineStep(async ({ secrets, changed }) => {
  const viaHaproxy = superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary);
  const where = `haproxynode:${PORTS.haproxyPrimary}`;

  const [role] = await query<{ rolpassword: string | null }>(viaHaproxy, 'select rolpassword from pg_authid where rolname = $1', [
    APP.user,
  ]);
  if (!role) {
    await query(viaHaproxy, `create role ${APP.user} login password '${scramVerifier(secrets.app)}'`);
    changed(where, `created role ${APP.user}`);
  } else if (!verifierMatches(role.rolpassword, secrets.app)) {
    await query(viaHaproxy, `alter role ${APP.user} login password '${scramVerifier(secrets.app)}'`);
    changed(where, `set the password of role ${APP.user}`);
  }

  const [db] = await query(viaHaproxy, 'select 1 from pg_database where datname = $1', [APP.database]);
  if (!db) {
    await query(viaHaproxy, `create database ${APP.database} owner ${APP.user}`);
    await query(viaHaproxy, `revoke all on database ${APP.database} from public`);
    changed(where, `created database ${APP.database} owned by ${APP.user}`);
  }
});
