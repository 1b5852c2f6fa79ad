/**
 * Credentials the protocol clients present where a service asks for them (HAProxy's stats
 * page, Patroni's unsafe REST endpoints). Registered once by whoever loads the cluster's
 * secrets, so callers of the clients never pass passwords around.
 */
export interface BasicAuth {
  username: string;
  password: string;
}

interface Store {
  registry: Map<'haproxyStats' | 'patroniApi', BasicAuth>;
  trustedCa?: string;
}

/**
 * One store per process, even when this module is loaded twice: mocha requires test files as
 * CommonJS while the runner imports steps as ES modules, and each graph gets its own copy.
 */
const shared = globalThis as { __workbookCredentials?: Store };
shared.__workbookCredentials ??= { registry: new Map() };
const store: Store = shared.__workbookCredentials;

export function registerCredentials(service: 'haproxyStats' | 'patroniApi', auth: BasicAuth): void {
  store.registry.set(service, auth);
}

export function credentialsFor(service: 'haproxyStats' | 'patroniApi'): BasicAuth | undefined {
  return store.registry.get(service);
}

/**
 * The cluster's certificate authority, once chapter 15 has switched PostgreSQL to TLS only:
 * from then on every SQL client verifies the server against it (like sslmode=verify-full).
 */
export function registerClusterCa(pem: string | undefined): void {
  store.trustedCa = pem;
}

export function clusterCa(): string | undefined {
  return store.trustedCa;
}
