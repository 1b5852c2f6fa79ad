import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { PLACEHOLDER_SECRETS } from '../lib/chapters/includes.ts';
import { renderPatroniConfig } from '../lib/config/patroni.ts';
import { POSTGRES_NODES } from '../lib/ip-plan.ts';
import {
  K8S_DIR,
  type K8sObject,
  loadManifests,
  type Manifest,
  ofKind,
  parseManifests,
  yamlFiles,
} from '../lib/k8s/manifests.ts';
import { localConfigOf } from '../lib/k8s/patroni.ts';
import { displayPath, generatedSecretPath, SECRET_TEMPLATE, secretForKey, secretKeys } from '../lib/k8s/secret.ts';
import {
  allSchemaProblems,
  literalSecretProblems,
  namespaceProblems,
  patroniConfigProblems,
  podLabelProblems,
  primaryServiceProblems,
  rbacProblems,
  schemaProblems,
  secretRefProblems,
  serviceSelectorProblems,
  statefulSetProblems,
  theStatefulSet,
} from '../lib/k8s/validate.ts';
import { ROOT } from '../lib/paths.ts';
import { loadSecrets, type Secrets, secretsFile } from '../lib/secrets.ts';
import { defaultTargetName } from '../lib/target.ts';

/** Fails with the list of problems, one a line. */
const none = (problems: string[], what: string) => {
  if (problems.length) assert.fail(`${what}:\n  - ${problems.join('\n  - ')}`);
};

/**
 * Kubernetes cannot run on the workbook's machines, so nothing here is applied: the manifests
 * are parsed, validated against the Kubernetes OpenAPI schemas offline (kubernetes-models),
 * and checked against each other and against what Patroni 3.0.2 needs.
 */
describe('chapter 14: the cluster as Kubernetes manifests (validated statically, never applied here)', () => {
  const target = defaultTargetName();
  const secretPath = generatedSecretPath(target);
  const shown = displayPath(secretPath);
  let manifests: Manifest[];
  let parseProblems: string[];
  let sts: IStatefulSet;
  let services: IService[];
  let secrets: Secrets;

  before(async () => {
    ({ manifests, problems: parseProblems } = await loadManifests());
    const found = theStatefulSet(manifests);
    if (typeof found === 'string') throw new Error(`k8s/: ${found}`);
    sts = found;
    services = ofKind<IService>(manifests, 'Service').map((m) => m.object);
    secrets = await loadSecrets(target);
  });

  it('parses every YAML file under k8s/ as Kubernetes does (YAML 1.1)', () => {
    none(parseProblems, 'k8s/ does not parse');
    assert.ok(manifests.length >= 10, `only ${manifests.length} objects under k8s/`);
  });

  it('validates every object against the Kubernetes OpenAPI schemas (offline), unknown fields included', () => {
    none(allSchemaProblems(manifests), 'objects the API server would refuse');
  });

  it('puts everything in the one namespace the manifests create', () => {
    none(namespaceProblems(manifests), 'objects outside the namespace');
  });

  it('labels the pods as the StatefulSet and Patroni select them (PATRONI_KUBERNETES_LABELS + cluster-name)', () => {
    none(podLabelProblems(sts), 'pod labels');
  });

  it('has Services whose selectors match the pods, role=replica for the replicas (Patroni 3.0.2: master|replica)', () => {
    none(serviceSelectorProblems(services, sts), 'Service selectors');
  });

  it('routes the primary Service by the Endpoints Patroni writes: named after the scope, no selector, ports of PATRONI_KUBERNETES_PORTS', () => {
    none(primaryServiceProblems(services, sts), 'the primary Service');
  });

  it("binds the StatefulSet's ServiceAccount to a Role that grants what Patroni's Kubernetes DCS does", () => {
    none(rbacProblems(manifests, sts), 'RBAC');
  });

  it('runs three Patroni members: Kubernetes DCS with endpoints, pod IP from the downward API, data on a claim, probes on 8008', () => {
    none(statefulSetProblems(sts, manifests), 'the StatefulSet');
  });

  it("gives Patroni the VMs' bootstrap configuration (chapter 6), without etcd and with scram-sha-256 only", () => {
    const local = localConfigOf(sts, manifests);
    if (typeof local === 'string') assert.fail(local);
    const vm = parse(renderPatroniConfig({ node: POSTGRES_NODES[0], secrets: PLACEHOLDER_SECRETS })) as {
      bootstrap: { dcs: unknown };
    };
    none(patroniConfigProblems(local, vm.bootstrap.dcs), "Patroni's configuration");
  });

  it("writes no password in k8s/: none of this cluster's, no literal value, an empty Secret template", async () => {
    const files = await yamlFiles(K8S_DIR);
    const texts = await Promise.all(
      [...files, 'k8s/image/Dockerfile'].map(async (file) => ({ file, text: await readFile(join(ROOT, file), 'utf8') })),
    );
    none(literalSecretProblems(texts, manifests, { ...secrets }), 'passwords in git');
  });

  describe(`the Secret rendered for this cluster, ${shown}`, () => {
    let object: K8sObject;
    let secret: ISecret;

    before(async () => {
      const text = await readFile(secretPath, 'utf8').catch(() => undefined);
      if (text === undefined) {
        assert.fail(
          `${shown} is missing: run \`npm run chapter 14\` (its step renders it from ${displayPath(secretsFile(target))})`,
        );
      }
      const parsed = parseManifests(shown, text);
      none(parsed.problems, `${shown} does not parse`);
      assert.equal(parsed.manifests.length, 1, `${shown} must hold exactly one object`);
      object = parsed.manifests[0].object;
      secret = object as ISecret;
    });

    it('is private: mode 0600, outside git', async () => {
      const mode = (await stat(secretPath)).mode & 0o777;
      assert.equal(mode, 0o600, `${shown} has mode ${mode.toString(8)}: \`chmod 600 ${shown}\`, it holds passwords`);
      assert.ok(relative(K8S_DIR, secretPath).startsWith('..'), `${shown} must not be under k8s/, which is in git`);
    });

    it('is a valid Secret, with the name, namespace and keys of k8s/templates/secret.yaml', async () => {
      none(schemaProblems(object), `${shown} is not a valid Secret`);
      const template = parse(await readFile(SECRET_TEMPLATE, 'utf8')) as ISecret;
      assert.equal(secret.metadata?.name, template.metadata?.name);
      assert.equal(secret.metadata?.namespace, template.metadata?.namespace);
      assert.deepEqual(
        secretKeys(secret).sort(),
        secretKeys(template).sort(),
        `${shown} is out of date: run \`npm run chapter 14\``,
      );
    });

    it("holds this cluster's passwords (.workbook/<target>/secrets.json)", () => {
      for (const key of secretKeys(secret)) {
        const name = secretForKey(key);
        assert.ok(name, `key ${key} names no secret of secrets.json`);
        assert.ok(
          secret.stringData?.[key] === secrets[name],
          `${key} differs from secrets.json's "${name}": run \`npm run chapter 14\``,
        );
      }
    });

    it('has every key the StatefulSet reads (secretKeyRef)', () => {
      none(secretRefProblems(sts, secret), 'Secret references');
    });
  });
});
