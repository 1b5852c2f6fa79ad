import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { hostSpec } from '../ip-plan.ts';
import { tlsDir } from '../state.ts';
import type { TargetName } from '../target.ts';
import { ensureNodeCertificate } from '../tls/certificates.ts';

const run = promisify(execFile);

/**
 * A certificate for `node`, signed by the cluster's own CA, for the node's own key, that expired
 * long ago. `openssl x509 -req` cannot date a certificate in the past before OpenSSL 3.4;
 * `openssl ca` can (-startdate/-enddate), with a throwaway database of its own.
 */
export async function expiredCertificate(target: TargetName, node: string): Promise<string> {
  await ensureNodeCertificate(target, hostSpec(node)); // the CA, and the node's request and extensions
  const tls = tlsDir(target);
  const dir = await mkdtemp(`${tmpdir()}/workbook-expired-`);
  try {
    await writeFile(`${dir}/index.txt`, '');
    await writeFile(`${dir}/serial`, `${Date.now().toString(16).padStart(12, '0')}\n`);
    await writeFile(
      `${dir}/ca.cnf`,
      `[ca]\ndefault_ca = expired\n[expired]\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n`,
    );
    await run('openssl', [
      'ca',
      '-batch',
      '-notext',
      '-config',
      `${dir}/ca.cnf`,
      '-cert',
      `${tls}/ca.crt`,
      '-keyfile',
      `${tls}/ca.key`,
      '-in',
      `${tls}/${node}.csr`,
      '-extfile',
      `${tls}/${node}.ext`,
      '-startdate',
      '20240101000000Z',
      '-enddate',
      '20240401000000Z',
      '-out',
      `${dir}/expired.crt`,
    ]);
    return await readFile(`${dir}/expired.crt`, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The node's valid certificate, as chapter 15 made it (kept in .workbook/<target>/tls). */
export async function validCertificate(target: TargetName, node: string): Promise<string> {
  return (await ensureNodeCertificate(target, hostSpec(node))).cert;
}
