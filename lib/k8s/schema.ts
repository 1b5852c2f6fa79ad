import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from './manifests.ts';

interface Validatable {
  validate(): void;
}
type ModelClass = { new (data: K8sObject): Validatable; prototype: Validatable };

/**
 * The kinds chapter 14 uses, with their models from `kubernetes-models`: TypeScript classes
 * generated from the Kubernetes OpenAPI schemas, each with a JSON Schema validator compiled
 * in. Nothing is fetched: validation works offline.
 */
const MODELS: Record<string, ModelClass> = Object.fromEntries(
  [Namespace, ServiceAccount, ConfigMap, Secret, Service, StatefulSet, Role, RoleBinding, PodDisruptionBudget].map((model) => [
    `${model.apiVersion}/${model.kind}`,
    model as unknown as ModelClass,
  ]),
);

export const KNOWN_KINDS: readonly string[] = Object.keys(MODELS);

/**
 * What the Kubernetes schemas say about an object: wrong types, missing required fields,
 * values outside an enum, and fields the schema does not know (a typo such as `replica:`,
 * which `kubectl apply`, strict by default, refuses). Empty when the object is valid.
 */
export function schemaProblems(object: K8sObject): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const Model = MODELS[key];
  if (!Model) return [`${key} is not a kind these manifests may use (${KNOWN_KINDS.join(', ')})`];
  try {
    new Model(object).validate();
  } catch (error) {
    return (error as Error).message.split(', ').map(readablePath);
  }
  return unknownFields(Model, object).map((path) => `${path}: unknown field (a typo? kubectl apply would refuse it)`);
}

/** `data/spec/containers/0/env/2/value must be string` → `spec.containers[0].env[2].value must be string`. */
function readablePath(message: string): string {
  return message.replace(/^data(\S*)/, (_, path: string) => {
    const parts = path.split('/').filter(Boolean);
    if (parts.length === 0) return '(the object)';
    return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
  });
}

/**
 * The JSON Schemas of Kubernetes allow fields they do not list, but the API server does not.
 * The compiled validator reads every field its schema lists, and walks every key of a map
 * (labels, data): running it over a recording proxy shows which keys of an object nobody
 * asked for. Objects the validator never looked into (free-form ones) are not judged.
 */
function unknownFields(Model: ModelClass, object: K8sObject): string[] {
  const read = new WeakMap<object, Set<PropertyKey>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, object>();
  const readKeys = (target: object) => {
    const keys = read.get(target) ?? new Set<PropertyKey>();
    read.set(target, keys);
    return keys;
  };
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get: (target, key, receiver) => {
          readKeys(target).add(key);
          return wrap(Reflect.get(target, key, receiver));
        },
        has: (target, key) => {
          readKeys(target).add(key);
          return Reflect.has(target, key);
        },
        ownKeys: (target) => {
          enumerated.add(target);
          return Reflect.ownKeys(target);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };
  try {
    Model.prototype.validate.call(wrap(object) as Validatable);
  } catch {
    // Already reported by schemaProblems.
  }
  const unknown: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, `${path}[${i}]`);
      });
      return;
    }
    const keys = read.get(value);
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (keys && !enumerated.has(value) && !keys.has(key)) unknown.push(at);
      else walk(child, at);
    }
  };
  walk(object, '');
  return unknown;
}
