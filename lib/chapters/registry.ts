import { ROOT } from '../paths.ts';

export interface Chapter {
  number: number;
  slug: string;
  title: string;
  /**
   * Why the check cannot fail before the step on the lab, when that is so: the lab installs
   * every package before the hosts exist, so "installed" is already true.
   */
  labExemption?: string;
}

const PACKAGES_PREINSTALLED =
  'the lab installs every Debian package on this machine before the hosts exist, so on the lab the packages are there before this step runs';

export const CHAPTERS: readonly Chapter[] = [
  { number: 1, slug: 'machines', title: 'Architecture and machines' },
  { number: 2, slug: 'setup-postgres-nodes', title: 'Set up node1, node2, node3', labExemption: PACKAGES_PREINSTALLED },
  { number: 3, slug: 'setup-etcdnode', title: 'Set up etcdnode', labExemption: PACKAGES_PREINSTALLED },
  { number: 4, slug: 'setup-haproxynode', title: 'Set up haproxynode', labExemption: PACKAGES_PREINSTALLED },
  { number: 5, slug: 'configure-etcd', title: 'Configure etcd' },
  { number: 6, slug: 'configure-patroni', title: 'Configure Patroni' },
  { number: 7, slug: 'start-patroni', title: 'Start Patroni' },
  { number: 8, slug: 'configure-haproxy', title: 'Configure HAProxy' },
  { number: 9, slug: 'test-the-cluster', title: 'Test the cluster' },
  { number: 10, slug: 'failover-test', title: 'Failover test' },
  { number: 11, slug: 'larger-etcd-cluster', title: 'A larger etcd cluster' },
  { number: 12, slug: 'pgbouncer', title: 'PgBouncer' },
  { number: 13, slug: 'second-haproxy-vip', title: 'A second HAProxy and a virtual IP' },
  {
    number: 14,
    slug: 'kubernetes',
    title: 'Kubernetes',
    labExemption:
      'Kubernetes cannot run here: the manifests are validated statically (parsed, and checked against the Kubernetes schemas), never applied',
  },
  { number: 15, slug: 'hardening', title: 'Hardening' },
  { number: 16, slug: 'reliability-drills', title: 'Reliability drills' },
];

export class UnknownChapterError extends Error {
  constructor(given: string) {
    super(`unknown chapter "${given}": choose one of ${CHAPTERS.map((c) => c.number).join(', ')} or all`);
  }
}

export function chapter(numberOrName: string | number): Chapter {
  const n = Number(numberOrName);
  const found = CHAPTERS.find((c) => c.number === n && String(numberOrName).trim() !== '');
  if (!found) throw new UnknownChapterError(String(numberOrName));
  return found;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const chapterBase = (c: Chapter) => `${pad(c.number)}-${c.slug}`;
export const markdownPath = (c: Chapter) => `${ROOT}/chapters/${chapterBase(c)}.md`;
export const stepPath = (c: Chapter) => `${ROOT}/steps/${chapterBase(c)}.ts`;
export const checkPath = (c: Chapter) => `${ROOT}/checks/${chapterBase(c)}.check.ts`;
