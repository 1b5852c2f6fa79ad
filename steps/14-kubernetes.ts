import { readFile } from 'node:fs/promises';
import { displayPath, generatedSecretPath, renderSecret, SECRET_TEMPLATE } from '../lib/k8s/secret.ts';
import { writeStateFile } from '../lib/state.ts';
import { defineStep } from '../lib/step.ts';

/**
 * Chapter 14: the same cluster as Kubernetes manifests, in k8s/ (committed, no secrets). The
 * one thing that differs per cluster is the Secret with its passwords: this step renders it
 * from k8s/templates/secret.yaml and this cluster's generated secrets, into a file outside
 * git that only you may read. It touches no host and no Kubernetes cluster: the workbook's
 * machines have none, and the manifests are validated statically by the check.
 */
export default defineStep(async ({ target, secrets, say, changed }) => {
  const path = generatedSecretPath(target.name);
  const shown = displayPath(path);
  const manifest = renderSecret(await readFile(SECRET_TEMPLATE, 'utf8'), secrets, target.name);

  const result = await writeStateFile(path, manifest);
  if (result === 'written') changed('workbook', `wrote ${shown} (mode 0600), the Secret of k8s/ with this cluster's passwords`);
  if (result === 'mode') changed('workbook', `made ${shown} private again (mode 0600)`);
  say(`for a Kubernetes cluster of yours: kubectl apply --server-side -f ${shown} (never commit or print this file)`);
});
