import { isDeepStrictEqual } from 'node:util';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { BIN_DIR, ROLES } from '../config/patroni.ts';
import { secretForms } from '../secret-scrubber.ts';
import { describeManifest, type K8sObject, type Manifest, ofKind } from './manifests.ts';
import {
  configPathOf,
  env,
  envValue,
  fromField,
  type LocalConfig,
  localConfigOf,
  PATRONI_RBAC,
  parsePatroniEnv,
  patroniContainer,
  patroniLabels,
  ROLE_LABEL,
  ROLE_VALUES,
  scopeOf,
} from './patroni.ts';
import { schemaProblems } from './schema.ts';

export { schemaProblems } from './schema.ts';

/**
 * The cross-checks of chapter 14. Each takes parsed objects and returns what is wrong, in
 * words a reader can act on; an empty list means all is well. The check runs them on k8s/,
 * the unit tests on deliberately broken objects.
 */

/** Every object against its Kubernetes schema. */
export function allSchemaProblems(manifests: readonly Manifest[]): string[] {
  return manifests.flatMap((m) => schemaProblems(m.object).map((p) => `${describeManifest(m)}: ${p}`));
}

/** The one StatefulSet, or a reason. */
export function theStatefulSet(manifests: readonly Manifest[]): IStatefulSet | string {
  const found = ofKind<IStatefulSet>(manifests, 'StatefulSet');
  if (found.length !== 1) return `expected exactly one StatefulSet, found ${found.length}`;
  return found[0].object;
}

/** One Namespace, and every other object in it, so that the Role's rights cover them all. */
export function namespaceProblems(manifests: readonly Manifest[]): string[] {
  const namespaces = manifests.filter((m) => m.object.kind === 'Namespace');
  if (namespaces.length !== 1) return [`expected exactly one Namespace, found ${namespaces.length}`];
  const ns = namespaces[0].object.metadata?.name;
  return manifests
    .filter((m) => m.object.kind !== 'Namespace' && m.object.metadata?.namespace !== ns)
    .map((m) => `${describeManifest(m)}: metadata.namespace is ${String(m.object.metadata?.namespace)}, not ${String(ns)}`);
}

const podLabels = (sts: IStatefulSet): Record<string, string> => sts.spec?.template?.metadata?.labels ?? {};

/** The pods carry the labels the StatefulSet selects them by, and those Patroni looks for. */
export function podLabelProblems(sts: IStatefulSet): string[] {
  const labels = podLabels(sts);
  const problems: string[] = [];
  for (const [k, v] of Object.entries(sts.spec?.selector?.matchLabels ?? {})) {
    if (labels[k] !== v)
      problems.push(`the StatefulSet selects ${k}=${v}, but its pod template has ${k}=${labels[k] ?? '(none)'}`);
  }
  const patroni = patroniLabels(sts);
  if (!patroni)
    problems.push('PATRONI_SCOPE and PATRONI_KUBERNETES_LABELS (a YAML mapping) must be set: Patroni finds its pods by them');
  for (const [k, v] of Object.entries(patroni ?? {})) {
    if (labels[k] !== v)
      problems.push(`Patroni looks for pods labelled ${k}=${v}, but the pod template has ${k}=${labels[k] ?? '(none)'}`);
  }
  if (ROLE_LABEL in labels)
    problems.push(`the pod template sets "${ROLE_LABEL}": that label is Patroni's to set, per pod, as roles change`);
  return problems;
}

/**
 * Every Service selector matches the StatefulSet's pods: each label is one the pod template
 * has, except `role`, which Patroni sets at run time to `master` or `replica` (3.0.2).
 * A port named by its target must be a port of the container.
 */
export function serviceSelectorProblems(services: readonly IService[], sts: IStatefulSet): string[] {
  const labels = podLabels(sts);
  const portNames = new Set(
    (sts.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name).filter(Boolean)),
  );
  const roles: readonly string[] = Object.values(ROLE_VALUES);
  const problems: string[] = [];
  for (const svc of services) {
    const name = svc.metadata?.name;
    const selector = svc.spec?.selector;
    if (!selector) continue;
    for (const [k, v] of Object.entries(selector)) {
      if (k === ROLE_LABEL) {
        if (!roles.includes(v))
          problems.push(`Service ${name} selects ${k}=${v}, a value Patroni 3.0.2 never sets (it sets ${roles.join(' or ')})`);
      } else if (labels[k] !== v) {
        problems.push(`Service ${name} selects ${k}=${v}, but the StatefulSet's pods have ${k}=${labels[k] ?? '(none)'}`);
      }
    }
    for (const port of svc.spec?.ports ?? []) {
      if (typeof port.targetPort === 'string' && !portNames.has(port.targetPort))
        problems.push(`Service ${name} targets port "${port.targetPort}", which the container does not name`);
    }
  }
  const governing = services.find((s) => s.metadata?.name === sts.spec?.serviceName);
  if (!governing) problems.push(`the StatefulSet's serviceName ${sts.spec?.serviceName} names no Service`);
  else if (governing.spec?.clusterIP !== 'None')
    problems.push(`Service ${governing.metadata?.name} governs the StatefulSet and must be headless (clusterIP: None)`);
  if (!services.some((s) => s.spec?.selector?.[ROLE_LABEL] === ROLE_VALUES.replica))
    problems.push(`no Service selects ${ROLE_LABEL}=${ROLE_VALUES.replica}: clients have no way to the replicas`);
  return problems;
}

/**
 * The primary Service is the leader's Endpoints that Patroni writes (use_endpoints): it is
 * named after the scope, has no selector (or Kubernetes would overwrite those Endpoints), and
 * its ports have the names of PATRONI_KUBERNETES_PORTS, or no traffic reaches the leader.
 */
export function primaryServiceProblems(services: readonly IService[], sts: IStatefulSet): string[] {
  const container = patroniContainer(sts);
  const scope = scopeOf(sts);
  if (!scope) return ['PATRONI_SCOPE is not set to a value in the StatefulSet'];
  const problems: string[] = [];
  if (envValue(container, 'PATRONI_KUBERNETES_USE_ENDPOINTS') !== 'true')
    problems.push('PATRONI_KUBERNETES_USE_ENDPOINTS must be "true": the primary Service relies on the Endpoints Patroni writes');
  const primary = services.find((s) => s.metadata?.name === scope);
  if (!primary)
    return [
      ...problems,
      `no Service is named ${scope} (the scope): Patroni writes the leader's address into the Endpoints of that name`,
    ];
  if (primary.spec?.selector && Object.keys(primary.spec.selector).length)
    problems.push(`Service ${scope} has a selector: Kubernetes would overwrite the Endpoints Patroni writes for the leader`);
  if (primary.spec?.clusterIP === 'None') problems.push(`Service ${scope} must have a cluster IP for clients, not be headless`);
  const declared = parsePatroniEnv(envValue(container, 'PATRONI_KUBERNETES_PORTS'), 'list');
  const ports = Array.isArray(declared) ? (declared as { name?: unknown; port?: unknown }[]) : [];
  for (const port of primary.spec?.ports ?? []) {
    const match = ports.find((p) => (p.name ?? '') === (port.name ?? ''));
    if (!match)
      problems.push(
        `Service ${scope} port ${port.name ?? port.port} has no endpoint port of the same name in PATRONI_KUBERNETES_PORTS (${envValue(container, 'PATRONI_KUBERNETES_PORTS') ?? 'unset'})`,
      );
  }
  return problems;
}

/** The StatefulSet runs as a ServiceAccount that a RoleBinding binds to a Role that grants Patroni's needs. */
export function rbacProblems(manifests: readonly Manifest[], sts: IStatefulSet): string[] {
  const account = sts.spec?.template?.spec?.serviceAccountName;
  if (!account || account === 'default')
    return ['the StatefulSet must run as its own ServiceAccount (spec.template.spec.serviceAccountName)'];
  const problems: string[] = [];
  if (!manifests.some((m) => m.object.kind === 'ServiceAccount' && m.object.metadata?.name === account))
    problems.push(`the StatefulSet runs as ServiceAccount ${account}, which no manifest creates`);
  const namespace = sts.metadata?.namespace;
  const bindings = ofKind<IRoleBinding>(manifests, 'RoleBinding')
    .map((m) => m.object)
    .filter((b) =>
      b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === account && (s.namespace ?? namespace) === namespace),
    );
  if (bindings.length === 0) return [...problems, `no RoleBinding binds ServiceAccount ${account}`];
  const roles = bindings.map((b) => {
    const role = ofKind<IRole>(manifests, 'Role').find((m) => m.object.metadata?.name === b.roleRef.name)?.object;
    if (b.roleRef.kind !== 'Role' || !role)
      problems.push(`RoleBinding ${b.metadata?.name} refers to ${b.roleRef.kind} ${b.roleRef.name}, which no manifest creates`);
    return role;
  });
  const rules = roles.flatMap((r) => r?.rules ?? []);
  for (const rule of rules) {
    const wild = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs].includes('*');
    if (wild) problems.push(`the Role grants "*": list what Patroni needs instead`);
    if (rule.resources?.includes('secrets')) problems.push('the Role grants access to Secrets, which Patroni never reads');
  }
  for (const need of PATRONI_RBAC) {
    const granted = new Set(
      rules.filter((r) => r.apiGroups?.includes('') && r.resources?.includes(need.resource)).flatMap((r) => r.verbs),
    );
    const missing = need.verbs.filter((v) => !granted.has(v));
    if (missing.length)
      problems.push(
        `the Role bound to ${account} does not grant ${missing.join(', ')} on ${need.resource}: Patroni fails with "${need.resource} is forbidden"`,
      );
  }
  return problems;
}

/** Every secretKeyRef names the generated Secret and a key it has. */
export function secretRefProblems(sts: IStatefulSet, secret: ISecret): string[] {
  const name = secret.metadata?.name;
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  const problems: string[] = [];
  let refs = 0;
  for (const container of [
    ...(sts.spec?.template?.spec?.containers ?? []),
    ...(sts.spec?.template?.spec?.initContainers ?? []),
  ]) {
    for (const e of container.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) continue;
      refs++;
      if (ref.name !== name) problems.push(`${e.name} reads Secret ${ref.name}, but the generated Secret is ${name}`);
      else if (!keys.has(ref.key))
        problems.push(`${e.name} reads key ${ref.key}, which the generated Secret ${name} does not have`);
    }
  }
  if (refs === 0) problems.push(`no variable of the StatefulSet reads the Secret ${name}: where do the passwords come from?`);
  return problems;
}

/** PATRONI_SUPERUSER_PASSWORD, password, db_secret, token: names of things that hold a secret. */
const PASSWORD_NAME = /(^|_)(password|passwd|secret|token)$/i;

/**
 * No password is written in k8s/: not one of this cluster's (in any form: as is, JSON-escaped,
 * URL-encoded, base64), not a literal value of a variable whose name says password, not a value
 * in a Secret (the template has none), not a password in Patroni's configuration file.
 */
export function literalSecretProblems(
  files: readonly { file: string; text: string }[],
  manifests: readonly Manifest[],
  secrets: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const forms = [...secretForms([value]), Buffer.from(value).toString('base64')];
    for (const { file, text } of files) {
      if (forms.some((f) => text.includes(f))) problems.push(`${file} contains this cluster's "${name}" secret`);
    }
  }
  for (const m of manifests) {
    const o = m.object as K8sObject & { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
    if (o.kind === 'Secret') {
      for (const [k, v] of Object.entries({ ...o.data, ...o.stringData }))
        if (v !== '' && v !== null) problems.push(`${describeManifest(m)}: ${k} has a value; the template in git must have none`);
    }
    if (o.kind === 'StatefulSet') {
      for (const c of (o as IStatefulSet).spec?.template?.spec?.containers ?? [])
        for (const e of c.env ?? [])
          if (PASSWORD_NAME.test(e.name) && e.value !== undefined)
            problems.push(
              `${describeManifest(m)}: ${e.name} has a literal value; take it from the Secret (valueFrom.secretKeyRef)`,
            );
    }
    if (o.kind === 'ConfigMap') {
      for (const [k, text] of Object.entries((o as IConfigMap).data ?? {}))
        for (const path of passwordsIn(safeParse(text), ''))
          problems.push(`${describeManifest(m)}: ${k} sets ${path}; passwords come from the Secret, through the environment`);
    }
  }
  return problems;
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function passwordsIn(value: unknown, path: string): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    if (PASSWORD_NAME.test(k) && (typeof v === 'string' || typeof v === 'number') && String(v) !== '') return [at];
    return passwordsIn(v, at);
  });
}

const probePort = (probe: IProbe | undefined, sts: IStatefulSet): number | undefined => {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  const named = patroniContainer(sts)?.ports?.find((p) => p.name === port);
  return named?.containerPort;
};

/**
 * The StatefulSet as Patroni needs it: three members, Kubernetes as the DCS, each member's
 * name and address from the pod itself, its data on a volume of its own, Patroni's health
 * endpoints as probes, and the configuration file where the command reads it.
 */
export function statefulSetProblems(sts: IStatefulSet, manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const c = patroniContainer(sts);
  if (!c) return ['no container of the StatefulSet sets PATRONI_SCOPE: which one runs Patroni?'];
  if (sts.spec?.replicas !== 3) problems.push(`replicas is ${sts.spec?.replicas}, not 3 (node1, node2, node3)`);
  if (!fromField(c, 'PATRONI_NAME', 'metadata.name')) problems.push('PATRONI_NAME must be the pod name (fieldRef metadata.name)');
  if (!fromField(c, 'PATRONI_KUBERNETES_NAMESPACE', 'metadata.namespace'))
    problems.push(
      'PATRONI_KUBERNETES_NAMESPACE must be the pod namespace (fieldRef metadata.namespace); else Patroni uses "default"',
    );
  if (!fromField(c, 'PATRONI_KUBERNETES_POD_IP', 'status.podIP'))
    problems.push(
      'PATRONI_KUBERNETES_POD_IP must be the pod IP (fieldRef status.podIP): Patroni writes it into the leader Endpoints',
    );
  const names = (c.env ?? []).map((e) => e.name);
  for (const name of ['PATRONI_POSTGRESQL_CONNECT_ADDRESS', 'PATRONI_RESTAPI_CONNECT_ADDRESS']) {
    const ref = /^\$\((\w+)\):\d+$/.exec(envValue(c, name) ?? '')?.[1];
    if (!ref || !fromField(c, ref, 'status.podIP')) problems.push(`${name} must be $(<pod IP variable>):<port>`);
    else if (names.indexOf(ref) > names.indexOf(name))
      problems.push(`${name} uses $(${ref}), defined after it: Kubernetes only expands variables defined earlier`);
  }
  for (const name of ['PATRONI_POSTGRESQL_LISTEN', 'PATRONI_RESTAPI_LISTEN'])
    if (!envValue(c, name) && !env(c, name)?.valueFrom) problems.push(`${name} is not set`);

  const readiness = c.readinessProbe?.httpGet;
  if (!readiness || !['/readiness', '/health'].includes(readiness.path ?? '') || probePort(c.readinessProbe, sts) !== 8008)
    problems.push('the readiness probe must be GET /readiness (or /health) on Patroni’s port 8008');
  if (c.livenessProbe?.httpGet?.path !== '/liveness' || probePort(c.livenessProbe, sts) !== 8008)
    problems.push('the liveness probe must be GET /liveness on Patroni’s port 8008');

  const local = localConfigOf(sts, manifests);
  if (typeof local === 'string') return [...problems, local];
  const dataDir =
    envValue(c, 'PATRONI_POSTGRESQL_DATA_DIR') ??
    ((local.config.postgresql as { data_dir?: string } | undefined)?.data_dir || '');
  const claims = new Set((sts.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name));
  const onClaim = (c.volumeMounts ?? []).find(
    (m) => claims.has(m.name) && dataDir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`),
  );
  if (!onClaim)
    problems.push(
      `the data directory ${dataDir || '(unset)'} is not below a volume of spec.volumeClaimTemplates (nor strictly below its mount point): the data would die with the pod`,
    );
  if (!configPathOf(c)) problems.push('the container does not start Patroni with its configuration file');
  return problems;
}

/** The dynamic configuration the VMs bootstrap with (chapter 6), for comparison. */
export function patroniConfigProblems(local: LocalConfig, vmBootstrapDcs: unknown): string[] {
  const config = local.config as {
    bootstrap?: { dcs?: { ttl?: number; loop_wait?: number; retry_timeout?: number }; pg_hba?: string[] };
    postgresql?: { bin_dir?: string; authentication?: Record<string, { username?: string }> };
  };
  const where = `ConfigMap ${local.configMap} (${local.key})`;
  const problems: string[] = [];
  const dcs = ['etcd', 'etcd3', 'consul', 'zookeeper', 'exhibitor', 'raft'].filter((k) => k in local.config);
  if (dcs.length) problems.push(`${where} has a ${dcs.join(', ')} section: on Kubernetes the DCS is Kubernetes itself`);
  const d = config.bootstrap?.dcs;
  if (!d || !isDeepStrictEqual(d, vmBootstrapDcs))
    problems.push(`${where}: bootstrap.dcs differs from the VMs' (chapter 6): the same cluster should bootstrap the same way`);
  else if ((d.loop_wait ?? 0) + 2 * (d.retry_timeout ?? 0) > (d.ttl ?? 0))
    problems.push(`${where}: loop_wait + 2 × retry_timeout must not exceed ttl`);
  for (const line of config.bootstrap?.pg_hba ?? []) {
    const [type, , , address, method] = line.split(/\s+/);
    if (type.startsWith('host') && method !== 'scram-sha-256') problems.push(`${where}: pg_hba "${line}" must use scram-sha-256`);
    if (type.startsWith('host') && /^(0\.0\.0\.0\/0|::\/0|all)$/.test(address ?? ''))
      problems.push(`${where}: pg_hba "${line}" lets in every address`);
  }
  if (config.postgresql?.bin_dir !== BIN_DIR)
    problems.push(`${where}: postgresql.bin_dir must be ${BIN_DIR} (Debian's PostgreSQL 15)`);
  for (const [kind, username] of Object.entries({
    superuser: ROLES.superuser,
    replication: ROLES.replication,
    rewind: ROLES.rewind,
  })) {
    if (config.postgresql?.authentication?.[kind]?.username !== username)
      problems.push(`${where}: postgresql.authentication.${kind}.username must be ${username}, as on the VMs`);
  }
  return problems;
}
