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

let trustedCa: string | undefined;

/**
 * The cluster's certificate authority, once chapter 15 has switched PostgreSQL to TLS only:
 * from then on every SQL client verifies the server against it (like sslmode=verify-full).
 */
export function registerClusterCa(pem: string | undefined): void {
  trustedCa = pem;
}

export function clusterCa(): string | undefined {
  return trustedCa;
}
