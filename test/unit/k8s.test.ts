import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse } from 'yaml';
import { PLACEHOLDER_SECRETS } from '../../lib/chapters/includes.ts';
import { renderPatroniConfig } from '../../lib/config/patroni.ts';
import { POSTGRES_NODES } from '../../lib/ip-plan.ts';
import { loadManifests, type Manifest, ofKind, parseManifests } from '../../lib/k8s/manifests.ts';
import { localConfigOf } from '../../lib/k8s/patroni.ts';
import { renderSecret, SECRET_TEMPLATE, secretForKey } from '../../lib/k8s/secret.ts';
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
} from '../../lib/k8s/validate.ts';
import type { Secrets } from '../../lib/secrets.ts';
import { writeStateFile } from '../../lib/state.ts';

const SECRETS: Secrets = {
  superuser: 'su-AAAAAAAAAAAAAAAAAAAAAA',
  replication: 're-BBBBBBBBBBBBBBBBBBBBBB',
  rewind: 'rw-CCCCCCCCCCCCCCCCCCCCCC',
  app: 'ap-DDDDDDDDDDDDDDDDDDDDDD',
  restapi: 'ra-EEEEEEEEEEEEEEEEEEEEEE',
  haproxyStats: 'hs-FFFFFFFFFFFFFFFFFFFFFF',
  vrrp: 'vr-GGGGGGGGGGGGGGGGGGGGGG',
};

/** A fresh copy of the committed manifests, and handles on the objects the tests break. */
async function committed() {
  const manifests = structuredClone((await loadManifests()).manifests) as Manifest[];
  const sts = ofKind<IStatefulSet>(manifests, 'StatefulSet')[0].object;
  const services = ofKind<IService>(manifests, 'Service').map((m) => m.object);
  const service = (name: string) => services.find((s) => s.metadata?.name === name) as IService;
  const container = sts.spec?.template?.spec?.containers[0];
  if (!container?.env) throw new Error('the StatefulSet has no container with env');
  const envVar = (name: string) => container.env?.find((e) => e.name === name);
  const template = parse(await readFile(SECRET_TEMPLATE, 'utf8')) as ISecret;
  const secret = parse(renderSecret(await readFile(SECRET_TEMPLATE, 'utf8'), SECRETS, 'lab')) as ISecret;
  return { manifests, sts, services, service, container, envVar, template, secret };
}

const vmDcs = () =>
  (parse(renderPatroniConfig({ node: POSTGRES_NODES[0], secrets: PLACEHOLDER_SECRETS })) as { bootstrap: { dcs: unknown } })
    .bootstrap.dcs;

describe('k8s: chapter 14 manifests and their validation', () => {
  describe('the committed manifests', () => {
    it('are valid against the Kubernetes schemas and pass every cross-check', async () => {
      const { manifests, sts, services, secret } = await committed();
      const local = localConfigOf(sts, manifests);
      if (typeof local === 'string') assert.fail(local);
      assert.deepEqual(
        [
          ...(await loadManifests()).problems,
          ...allSchemaProblems(manifests),
          ...namespaceProblems(manifests),
          ...podLabelProblems(sts),
          ...serviceSelectorProblems(services, sts),
          ...primaryServiceProblems(services, sts),
          ...rbacProblems(manifests, sts),
          ...statefulSetProblems(sts, manifests),
          ...patroniConfigProblems(local, vmDcs()),
          ...secretRefProblems(sts, secret),
          ...literalSecretProblems([], manifests, { ...SECRETS }),
        ],
        [],
      );
    });
  });

  describe('schemas (kubernetes-models, offline)', () => {
    it('refuses a StatefulSet with replicas: "three"', async () => {
      const { sts } = await committed();
      (sts.spec as unknown as { replicas: unknown }).replicas = 'three';
      assert.deepEqual(schemaProblems(sts as never), ['spec.replicas must be integer']);
    });

    it('refuses a field the schema does not know (a typo kubectl apply would refuse)', async () => {
      const { sts, container } = await committed();
      Object.assign(sts.spec as object, { replica: 3 });
      Object.assign(container, { readinesProbe: container.readinessProbe });
      assert.deepEqual(schemaProblems(sts as never), [
        'spec.template.spec.containers[0].readinesProbe: unknown field (a typo? kubectl apply would refuse it)',
        'spec.replica: unknown field (a typo? kubectl apply would refuse it)',
      ]);
    });

    it('does not take map keys (labels, ConfigMap data) for unknown fields', async () => {
      const { manifests } = await committed();
      const cm = ofKind<{ data: Record<string, string>; metadata: { labels?: Record<string, string> } }>(
        manifests,
        'ConfigMap',
      )[0].object;
      cm.data['any-key.yml'] = 'x';
      cm.metadata.labels = { anything: 'goes' };
      assert.deepEqual(schemaProblems(cm as never), []);
    });

    it('reads YAML as Kubernetes does (1.1): an unquoted on is a boolean, not the string an env value must be', () => {
      const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n';
      const { manifests } = parseManifests(
        'k8s/x.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  enabled: on\n---\n${text}`,
      );
      assert.deepEqual(schemaProblems(manifests[0].object), ['data.enabled must be string']);
      assert.match(schemaProblems(manifests[1].object)[0], /v1\/Pod is not a kind these manifests may use/);
    });

    it('reports a file that is not YAML', () => {
      assert.match(parseManifests('k8s/bad.yaml', 'a: [1, 2\n').problems[0], /k8s\/bad.yaml: not valid YAML/);
    });
  });

  describe('cross-checks', () => {
    it('catches a Service whose selector matches no pod', async () => {
      const { sts, services, service } = await committed();
      (service('postgres-replicas').spec?.selector as Record<string, string>)['cluster-name'] = 'other';
      assert.deepEqual(serviceSelectorProblems(services, sts), [
        "Service postgres-replicas selects cluster-name=other, but the StatefulSet's pods have cluster-name=postgres",
      ]);
    });

    it('catches role=primary, a value Patroni 3.0.2 never sets (it writes master or replica)', async () => {
      const { sts, services, service } = await committed();
      (service('postgres-replicas').spec?.selector as Record<string, string>).role = 'primary';
      assert.match(serviceSelectorProblems(services, sts).join('\n'), /role=primary, a value Patroni 3.0.2 never sets/);
    });

    it('catches a primary Service with a selector, or a port name Patroni does not write', async () => {
      const { sts, services, service } = await committed();
      const primary = service('postgres');
      Object.assign(primary.spec as object, { selector: { application: 'patroni', role: 'master' } });
      (primary.spec?.ports ?? [])[0].name = 'pg';
      const problems = primaryServiceProblems(services, sts).join('\n');
      assert.match(problems, /has a selector: Kubernetes would overwrite the Endpoints Patroni writes/);
      assert.match(problems, /port pg has no endpoint port of the same name in PATRONI_KUBERNETES_PORTS/);
    });

    it('catches pods without the labels PATRONI_KUBERNETES_LABELS names', async () => {
      const { sts, envVar } = await committed();
      (envVar('PATRONI_KUBERNETES_LABELS') as { value: string }).value = '{app: patroni}';
      assert.deepEqual(podLabelProblems(sts), [
        'Patroni looks for pods labelled app=patroni, but the pod template has app=(none)',
      ]);
    });

    it('catches a RoleBinding that binds another ServiceAccount', async () => {
      const { manifests, sts } = await committed();
      const binding = ofKind<IRoleBinding>(manifests, 'RoleBinding')[0].object;
      (binding.subjects ?? [])[0].name = 'default';
      assert.deepEqual(rbacProblems(manifests, sts), ['no RoleBinding binds ServiceAccount patroni']);
    });

    it('catches a Role without a verb Patroni needs, and a wildcard', async () => {
      const { manifests, sts } = await committed();
      const role = ofKind<IRole>(manifests, 'Role')[0].object;
      const rules = role.rules ?? [];
      rules[0].verbs = rules[0].verbs.filter((v) => v !== 'deletecollection');
      rules.push({ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] });
      const problems = rbacProblems(manifests, sts);
      assert.match(problems.join('\n'), /grants "\*"/);
      assert.match(
        problems.join('\n'),
        /does not grant deletecollection on endpoints: Patroni fails with "endpoints is forbidden"/,
      );
    });

    it('catches a secretKeyRef to a key the generated Secret does not have', async () => {
      const { sts, envVar, secret } = await committed();
      const ref = envVar('PATRONI_REWIND_PASSWORD')?.valueFrom?.secretKeyRef as { key: string };
      ref.key = 'rewind-pasword';
      assert.deepEqual(secretRefProblems(sts, secret), [
        'PATRONI_REWIND_PASSWORD reads key rewind-pasword, which the generated Secret postgres-credentials does not have',
      ]);
    });

    it('catches a literal password, a secret of the cluster in a file, and a template with a value', async () => {
      const { manifests, envVar } = await committed();
      const superuser = envVar('PATRONI_SUPERUSER_PASSWORD') as { value?: string; valueFrom?: unknown };
      superuser.valueFrom = undefined;
      superuser.value = 'hunter2hunter2';
      const template = ofKind<ISecret>(manifests, 'Secret')[0].object;
      (template.stringData as Record<string, string>)['rewind-password'] = 'x';
      const base64 = Buffer.from(SECRETS.replication).toString('base64');
      const problems = literalSecretProblems([{ file: 'k8s/leak.yaml', text: `data: {p: ${base64}}` }], manifests, {
        ...SECRETS,
      });
      assert.deepEqual(problems, [
        `k8s/leak.yaml contains this cluster's "replication" secret`,
        'StatefulSet/postgres (k8s/40-statefulset.yaml): PATRONI_SUPERUSER_PASSWORD has a literal value; take it from the Secret (valueFrom.secretKeyRef)',
        'Secret/postgres-credentials (k8s/templates/secret.yaml): rewind-password has a value; the template in git must have none',
      ]);
      assert.ok(!problems.join('\n').includes(SECRETS.replication), 'a problem must never show the secret itself');
    });

    it('catches a password in Patroni’s configuration file', async () => {
      const { manifests } = await committed();
      const cm = ofKind<{ data: Record<string, string> }>(manifests, 'ConfigMap')[0].object;
      cm.data['patroni.yml'] = cm.data['patroni.yml'].replace('username: postgres', 'username: postgres\n      password: admin');
      assert.match(literalSecretProblems([], manifests, {}).join('\n'), /sets postgresql\.authentication\.superuser\.password/);
    });

    it('catches a connect address that uses the pod IP before it is defined, and data off the volume', async () => {
      const { sts, manifests, container } = await committed();
      const env = container.env ?? [];
      const podIp = env.findIndex((e) => e.name === 'PATRONI_KUBERNETES_POD_IP');
      env.push(...env.splice(podIp, 1));
      env.push({ name: 'PATRONI_POSTGRESQL_DATA_DIR', value: '/var/lib/postgresql/pgdata' });
      const problems = statefulSetProblems(sts, manifests).join('\n');
      assert.match(problems, /PATRONI_POSTGRESQL_CONNECT_ADDRESS uses \$\(PATRONI_KUBERNETES_POD_IP\), defined after it/);
      assert.match(
        problems,
        /the data directory \/var\/lib\/postgresql\/pgdata is not below a volume of spec.volumeClaimTemplates/,
      );
    });

    it('catches probes that are not Patroni’s health endpoints', async () => {
      const { sts, manifests, container } = await committed();
      if (container.livenessProbe?.httpGet) container.livenessProbe.httpGet.path = '/health';
      if (container.readinessProbe?.httpGet) container.readinessProbe.httpGet.port = 5432;
      const problems = statefulSetProblems(sts, manifests);
      assert.deepEqual(problems, [
        'the readiness probe must be GET /readiness (or /health) on Patroni’s port 8008',
        'the liveness probe must be GET /liveness on Patroni’s port 8008',
      ]);
    });

    it('catches an object outside the namespace, and an etcd3 section with other timings', async () => {
      const { manifests, sts } = await committed();
      const sa = manifests.find((m) => m.object.kind === 'ServiceAccount');
      if (sa?.object.metadata) sa.object.metadata.namespace = 'default';
      assert.deepEqual(namespaceProblems(manifests), [
        'ServiceAccount/patroni (k8s/10-rbac.yaml): metadata.namespace is default, not ha-postgres',
      ]);
      const local = localConfigOf(sts, manifests);
      if (typeof local === 'string') assert.fail(local);
      local.config.etcd3 = { hosts: 'etcd:2379' };
      (local.config.bootstrap as { dcs: { ttl: number } }).dcs.ttl = 10;
      assert.equal(patroniConfigProblems(local, vmDcs()).length, 2);
    });
  });

  describe('the generated Secret', () => {
    it('fills every key of the template from the secret it names, single-quoted, the same every time', async () => {
      const text = await readFile(SECRET_TEMPLATE, 'utf8');
      const rendered = renderSecret(text, SECRETS, 'lab');
      assert.equal(renderSecret(text, SECRETS, 'lab'), rendered);
      assert.match(rendered, new RegExp(`superuser-password: '${SECRETS.superuser}'`));
      const secret = parse(rendered) as ISecret;
      for (const [key, value] of Object.entries(secret.stringData ?? {}))
        assert.equal(value, SECRETS[secretForKey(key) as keyof Secrets]);
      assert.deepEqual(schemaProblems(secret as never), []);
    });

    it('refuses a template key that names no secret', () => {
      assert.throws(
        () => renderSecret('apiVersion: v1\nkind: Secret\nstringData:\n  root-pw: ""\n', SECRETS, 'lab'),
        /key "root-pw" names no secret of secrets.json/,
      );
    });

    it('is written with mode 0600 only when it differs, and its mode is put back', async () => {
      const dir = await mkdtemp(`${tmpdir()}/k8s-secret-`);
      try {
        const path = `${dir}/k8s/secret.yaml`;
        assert.equal(await writeStateFile(path, 'a'), 'written');
        assert.equal((await stat(path)).mode & 0o777, 0o600);
        assert.equal((await stat(`${dir}/k8s`)).mode & 0o777, 0o700);
        assert.equal(await writeStateFile(path, 'a'), 'unchanged');
        await chmod(path, 0o644);
        assert.equal(await writeStateFile(path, 'a'), 'mode');
        assert.equal(await writeStateFile(path, 'b'), 'written');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
