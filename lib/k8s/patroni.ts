import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { parse } from 'yaml';
import { type Manifest, ofKind } from './manifests.ts';

/**
 * What Patroni 3.0.2's Kubernetes DCS asks of the API with `use_endpoints: true`, read in its
 * source (patroni/dcs/kubernetes.py: list/watch, read, create, patch and deletecollection of
 * Endpoints; list/watch and patch of Pods; create of the `<scope>-config` Service), granted as
 * Patroni's own example (kubernetes/patroni_k8s.yaml) grants it, with `deletecollection`,
 * which `patronictl remove` uses in 3.0.2.
 */
export const PATRONI_RBAC: readonly { resource: string; verbs: readonly string[] }[] = [
  { resource: 'endpoints', verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete', 'deletecollection'] },
  { resource: 'pods', verbs: ['get', 'list', 'watch', 'patch', 'update'] },
  { resource: 'services', verbs: ['create'] },
];

/** The label Patroni sets on each member's pod, and its values in 3.0.2 (Patroni 4 writes `primary`). */
export const ROLE_LABEL = 'role';
export const ROLE_VALUES = { leader: 'master', replica: 'replica' } as const;
/** Patroni adds `cluster-name: <scope>` to the labels it looks for (kubernetes.scope_label). */
export const SCOPE_LABEL = 'cluster-name';

export type Container = IContainer;
export type StatefulSetObject = IStatefulSet;

/** The container that runs Patroni: the one with PATRONI_SCOPE in its environment. */
export function patroniContainer(sts: IStatefulSet): IContainer | undefined {
  const containers = sts.spec?.template?.spec?.containers ?? [];
  return containers.find((c) => c.env?.some((e) => e.name === 'PATRONI_SCOPE'));
}

export function env(container: IContainer | undefined, name: string): IEnvVar | undefined {
  return container?.env?.find((e) => e.name === name);
}

/** The literal value of a variable, or undefined when it is not set or comes from elsewhere. */
export function envValue(container: IContainer | undefined, name: string): string | undefined {
  return env(container, name)?.value;
}

/** The variable is set from the pod itself (downward API), e.g. `status.podIP`. */
export function fromField(container: IContainer | undefined, name: string, fieldPath: string): boolean {
  return env(container, name)?.valueFrom?.fieldRef?.fieldPath === fieldPath;
}

/** A value as Patroni reads PATRONI_KUBERNETES_LABELS or _PORTS: YAML, braces or brackets optional. */
export function parsePatroniEnv(value: string | undefined, kind: 'dict' | 'list'): unknown {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const wrapped =
    kind === 'dict' && !trimmed.startsWith('{')
      ? `{${trimmed}}`
      : kind === 'list' && !/^[-[]/.test(trimmed)
        ? `[${trimmed}]`
        : trimmed;
  try {
    return parse(wrapped);
  } catch {
    return undefined;
  }
}

/** The scope (cluster name), from PATRONI_SCOPE. */
export function scopeOf(sts: IStatefulSet): string | undefined {
  return envValue(patroniContainer(sts), 'PATRONI_SCOPE');
}

/** The labels Patroni selects its pods by: PATRONI_KUBERNETES_LABELS plus cluster-name=<scope>. */
export function patroniLabels(sts: IStatefulSet): Record<string, string> | undefined {
  const labels = parsePatroniEnv(envValue(patroniContainer(sts), 'PATRONI_KUBERNETES_LABELS'), 'dict');
  const scope = scopeOf(sts);
  if (!labels || typeof labels !== 'object' || Array.isArray(labels) || !scope) return undefined;
  return { ...(labels as Record<string, string>), [SCOPE_LABEL]: scope };
}

/** The configuration file Patroni is started with: the last argument of the container's command. */
export function configPathOf(container: IContainer | undefined): string | undefined {
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])];
  return argv.find((a) => /\.ya?ml$/.test(a));
}

export interface LocalConfig {
  configMap: string;
  key: string;
  config: Record<string, unknown>;
}

/**
 * Patroni's configuration file as the pod sees it: the ConfigMap volume mounted over the
 * file's folder, and the file's key in it. A string when it cannot be found.
 */
export function localConfigOf(sts: IStatefulSet, manifests: readonly Manifest[]): LocalConfig | string {
  const container = patroniContainer(sts);
  const path = configPathOf(container);
  if (!path) return 'the Patroni container is not started with a configuration file (command: patroni /etc/patroni/patroni.yml)';
  const dir = path.slice(0, path.lastIndexOf('/'));
  const key = path.slice(path.lastIndexOf('/') + 1);
  const mount = container?.volumeMounts?.find((m) => m.mountPath.replace(/\/$/, '') === dir);
  const volume = sts.spec?.template?.spec?.volumes?.find((v) => v.name === mount?.name);
  const name = volume?.configMap?.name;
  if (!name) return `${path}: no ConfigMap volume is mounted on ${dir}`;
  const cm = ofKind<IConfigMap>(manifests, 'ConfigMap').find((m) => m.object.metadata?.name === name);
  const text = cm?.object.data?.[key];
  if (text === undefined) return `${path}: the ConfigMap ${name} has no key ${key}`;
  try {
    const config = parse(text) as unknown;
    if (!config || typeof config !== 'object') return `${path}: the ConfigMap ${name} holds no YAML mapping under ${key}`;
    return { configMap: name, key, config: config as Record<string, unknown> };
  } catch (error) {
    return `${path}: the ConfigMap ${name} holds invalid YAML under ${key}: ${(error as Error).message}`;
  }
}
