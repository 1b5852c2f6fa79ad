import { credentialsFor } from '../clients/credentials.ts';
import { request } from '../clients/http.ts';
import { clusterMembers, leaderOf } from '../clients/patroni.ts';
import { waitFor } from '../clients/wait.ts';
import { addressOf, PORTS } from '../ip-plan.ts';

/**
 * A planned switchover through Patroni's REST API (what `patronictl switchover` does): POST
 * /switchover on the leader, with the REST API's password. Returns the new leader's name.
 */
export async function switchover(leaderName: string, candidate?: string): Promise<string> {
  const body = candidate ? { leader: leaderName, candidate } : { leader: leaderName };
  const res = await request(addressOf(leaderName), PORTS.patroniApi, '/switchover', {
    method: 'POST',
    body,
    auth: credentialsFor('patroniApi'),
    timeoutMs: 60000,
  });
  if (res.status !== 200) throw new Error(`switchover refused by ${leaderName}: ${res.status} ${res.text.trim()}`);
  return waitFor(
    'a new leader after the switchover',
    async () => {
      const members = await clusterMembers();
      const next = members && leaderOf(members);
      return next && next.name !== leaderName && next.state === 'running' ? next.name : undefined;
    },
    { timeoutMs: 60000 },
  );
}
