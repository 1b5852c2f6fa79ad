/**
 * Credentials the protocol clients present where a service asks for them (HAProxy's stats
 * page, Patroni's unsafe REST endpoints). Registered once by whoever loads the cluster's
 * secrets, so callers of the clients never pass passwords around.
 */
export interface BasicAuth {
  username: string;
  password: string;
}

const registry = new Map<'haproxyStats' | 'patroniApi', BasicAuth>();

export function registerCredentials(service: 'haproxyStats' | 'patroniApi', auth: BasicAuth): void {
  registry.set(service, auth);
}

export function credentialsFor(service: 'haproxyStats' | 'patroniApi'): BasicAuth | undefined {
  return registry.get(service);
}
