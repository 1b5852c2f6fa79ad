import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../paths.ts';

/** The manifests of chapter 14, committed to git. */
export const K8S_DIR = `${ROOT}/k8s`;

/** One Kubernetes object as YAML gives it: nothing is known about it before validation. */
export interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; labels?: unknown };
  [field: string]: unknown;
}

/** An object and where it was read: `k8s/40-statefulset.yaml`, its first document. */
export interface Manifest {
  file: string;
  index: number;
  object: K8sObject;
}

/** `Service/postgres (k8s/31-service-primary.yaml)`, for messages. */
export function describeManifest(m: Manifest): string {
  return `${String(m.object.kind)}/${String(m.object.metadata?.name)} (${m.file}${m.index ? ` #${m.index + 1}` : ''})`;
}

/**
 * Every YAML document of a file, parsed as Kubernetes does: YAML 1.1, where an unquoted `on`
 * or `yes` is a boolean, not a string. Documents holding only comments are skipped.
 */
export function parseManifests(file: string, text: string): { manifests: Manifest[]; problems: string[] } {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  parseAllDocuments(text, { version: '1.1', prettyErrors: true }).forEach((doc, index) => {
    if (doc.errors.length) {
      problems.push(`${file}: not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const object = doc.toJS() as unknown;
    if (object === null || object === undefined) return;
    if (typeof object !== 'object' || Array.isArray(object)) {
      problems.push(`${file}: document ${index + 1} is not a Kubernetes object (a mapping with apiVersion and kind)`);
      return;
    }
    manifests.push({ file, index, object: object as K8sObject });
  });
  return { manifests, problems };
}

/** The YAML files below a folder, sorted, as paths relative to the repository. */
export async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** Every object of every YAML file below `dir` (k8s/ by default). */
export async function loadManifests(dir = K8S_DIR): Promise<{ manifests: Manifest[]; problems: string[] }> {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of await yamlFiles(dir)) {
    const parsed = parseManifests(file, await readFile(join(ROOT, file), 'utf8'));
    manifests.push(...parsed.manifests);
    problems.push(...parsed.problems);
  }
  return { manifests, problems };
}

/** The objects of one kind. */
export function ofKind<T>(manifests: readonly Manifest[], kind: string): (Manifest & { object: T })[] {
  return manifests.filter((m) => m.object.kind === kind) as (Manifest & { object: T })[];
}
