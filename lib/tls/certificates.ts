import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { HAPROXY_NODES, type HostSpec, VIRTUAL_IP } from '../ip-plan.ts';
import { local } from '../local.ts';
import { makeStateDir, tlsDir } from '../state.ts';
import type { TargetName } from '../target.ts';

export interface NodeCertificate {
  ca: string;
  cert: string;
  key: string;
}

/**
 * A certificate authority made for this cluster alone (its key never leaves this machine),
 * created with openssl on first use.
 */
export async function ensureCa(target: TargetName): Promise<string> {
  const dir = tlsDir(target);
  await makeStateDir(dir);
  if (!existsSync(`${dir}/ca.crt`)) {
    await local`openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 825 -subj /CN=ha-workbook-cluster-ca -keyout ${dir}/ca.key -out ${dir}/ca.crt`;
    await local`chmod 600 ${dir}/ca.key`;
  }
  return readFile(`${dir}/ca.crt`, 'utf8');
}

/**
 * The server certificate of a PostgreSQL node. Clients reach a node directly or through
 * HAProxy (either HAProxy host, or the virtual IP), so all those addresses are in it.
 */
export async function ensureNodeCertificate(target: TargetName, node: HostSpec): Promise<NodeCertificate> {
  const dir = tlsDir(target);
  const ca = await ensureCa(target);
  const base = `${dir}/${node.name}`;
  if (!existsSync(`${base}.crt`)) {
    const names = [`DNS:${node.name}`, `IP:${node.address}`, ...HAPROXY_NODES.map((h) => `IP:${h.address}`), `IP:${VIRTUAL_IP}`];
    await local`openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -subj /CN=${node.name} -keyout ${base}.key -out ${base}.csr`;
    await local`chmod 600 ${base}.key`;
    await local`bash -c ${`printf 'subjectAltName=${names.join(',')}\\nextendedKeyUsage=serverAuth\\n' > ${base}.ext`}`;
    await local`openssl x509 -req -in ${base}.csr -CA ${dir}/ca.crt -CAkey ${dir}/ca.key -CAcreateserial -days 825 -extfile ${base}.ext -out ${base}.crt`;
  }
  return { ca, cert: await readFile(`${base}.crt`, 'utf8'), key: await readFile(`${base}.key`, 'utf8') };
}
