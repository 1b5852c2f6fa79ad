import { $ } from 'zx';
import { sleep } from '../clients/wait.ts';
import { SUBNET } from '../ip-plan.ts';

/**
 * The VMs' own network namespace. libvirtd (and so its bridges, dnsmasq and the QEMU processes),
 * vagrant and `npm run chapter all -- --target vagrant` run in it; the machine's root namespace
 * never sees 192.168.56.0/24 from the VMs (the embedded lab may be using it there), and the
 * namespace has no default route and no link out: nothing in it reaches anything but its own
 * bridges. The VMs' one way out is the apt proxy, reached through a relay (lib/vms/apt-relay.ts).
 *
 * The lab's safety rule holds inside too: `unreachable 192.168.56.0/24 metric 4000`. libvirt
 * refuses to start a network whose subnet already has a route (it reads the namespace's
 * /proc/net/route, where the unreachable route shows as interface `*`), so the networks start
 * first and the route is added right after; libvirt checks only at net-start, and the route
 * then stays, beside the bridge's own (more specific by metric) route.
 */
export const NETNS = 'wbvms';
const q = $({ quiet: true, nothrow: true });
const SAFETY_ROUTE = `unreachable ${SUBNET} metric 4000`;

/** The argv prefix that runs a command in the namespace (niced: the lab's tests keep priority). */
export function inNamespace(argv: readonly string[], nice = 15): string[] {
  return ['ip', 'netns', 'exec', NETNS, 'nice', '-n', String(nice), ...argv];
}

export async function namespaceExists(): Promise<boolean> {
  return (await q`ip netns list`).stdout.split('\n').some((l) => l.split(/\s+/)[0] === NETNS);
}

/** Makes the namespace (loopback only) unless it exists. Returns true when it made it. */
export async function ensureNamespace(): Promise<boolean> {
  if (await namespaceExists()) return false;
  await $({ quiet: true })`ip netns add ${NETNS}`;
  await $({ quiet: true })`ip -n ${NETNS} link set lo up`;
  return true;
}

/** The safety route inside the namespace: added after the networks started, then never removed. */
export async function ensureSafetyRouteInside(): Promise<void> {
  const existing = await q`ip -n ${NETNS} route show type unreachable ${SUBNET}`;
  if (existing.stdout.trim()) return;
  await $({ quiet: true })`ip -n ${NETNS} route add unreachable ${SUBNET} metric 4000`;
}

/**
 * Runs `start` (a libvirt net-start) with the namespace's safety route out of the way, when it
 * is there: a restarted libvirtd finds the route of an earlier start in place. The route is put
 * back at once, whatever happened; the namespace has no route out meanwhile (nothing can leave
 * it either way), and the root namespace's route is never touched.
 */
export async function withoutSafetyRouteInside<T>(start: () => Promise<T>): Promise<T> {
  const existing = await q`ip -n ${NETNS} route show type unreachable ${SUBNET}`;
  if (!existing.stdout.trim()) return start();
  await $({ quiet: true })`ip -n ${NETNS} route del unreachable ${SUBNET} metric 4000`;
  try {
    return await start();
  } finally {
    await ensureSafetyRouteInside();
  }
}

export interface NetworkState {
  /** `ip -4 route show table all` in the root namespace. */
  rootRoutes: string;
  /** `ip -o link show` in the root namespace. */
  rootLinks: string;
  /** `ip -4 route show table all` in the VMs' namespace. */
  insideRoutes: string;
  /** `ip -o link show` in the VMs' namespace. */
  insideLinks: string;
}

export async function networkState(): Promise<NetworkState> {
  const [rootRoutes, rootLinks, insideRoutes, insideLinks] = await Promise.all([
    q`ip -4 route show table all`,
    q`ip -o link show`,
    q`ip -n ${NETNS} -4 route show table all`,
    q`ip -n ${NETNS} -o link show`,
  ]);
  return {
    rootRoutes: rootRoutes.stdout,
    rootLinks: rootLinks.stdout,
    insideRoutes: insideRoutes.stdout,
    insideLinks: insideLinks.stdout,
  };
}

/**
 * What is wrong with the isolation, judged from `ip` output (pure, unit-tested):
 * - root namespace: the safety route is there, and none of the VMs' bridges is;
 * - VMs' namespace: the safety route is there too, beside the cluster bridge's own route (they
 *   coexist); no default route, no route via a gateway; links are loopback, the bridges and the
 *   VMs' taps (vnetN) only.
 */
export function isolationProblems(
  state: NetworkState,
  bridges: { management: string; cluster: string },
  expect: { clusterRoute: boolean } = { clusterRoute: true },
): string[] {
  const problems: string[] = [];
  const routes = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const linkNames = (text: string) =>
    text
      .split('\n')
      .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
      .filter((n): n is string => Boolean(n));
  const hasSafety = (lines: string[]) => lines.some((l) => l.startsWith(`${SAFETY_ROUTE}`) || l === SAFETY_ROUTE);
  const root = routes(state.rootRoutes);
  const inside = routes(state.insideRoutes);
  if (!hasSafety(root)) problems.push(`the root namespace lost its safety route \`${SAFETY_ROUTE}\``);
  for (const bridge of [bridges.management, bridges.cluster]) {
    if (linkNames(state.rootLinks).includes(bridge)) problems.push(`the bridge ${bridge} is in the root namespace`);
  }
  if (!hasSafety(inside)) problems.push(`the VMs' namespace has no safety route \`${SAFETY_ROUTE}\``);
  if (expect.clusterRoute && !inside.some((l) => l.startsWith(`${SUBNET} dev ${bridges.cluster} `)))
    problems.push(`the VMs' namespace has no route for ${SUBNET} on ${bridges.cluster}`);
  for (const line of inside) {
    if (/^default\b/.test(line)) problems.push(`the VMs' namespace has a default route: ${line}`);
    else if (/\bvia\b/.test(line)) problems.push(`the VMs' namespace routes through a gateway: ${line}`);
  }
  for (const name of linkNames(state.insideLinks)) {
    if (name !== 'lo' && name !== bridges.management && name !== bridges.cluster && !/^vnet\d+$/.test(name))
      problems.push(`unexpected link ${name} in the VMs' namespace`);
  }
  return problems;
}

export async function namespacePids(): Promise<number[]> {
  const out = await q`ip netns pids ${NETNS}`;
  return out.stdout
    .split(/\s+/)
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
}

/**
 * Ends every process left in the namespace (by `ip netns pids`, never by name), then deletes
 * it; the bridges and taps go with it.
 */
export async function removeNamespace(say: (line: string) => void = () => {}): Promise<void> {
  if (!(await namespaceExists())) return;
  for (const signal of ['TERM', 'KILL'] as const) {
    const pids = await namespacePids();
    if (pids.length === 0) break;
    say(`  ending ${pids.length} process(es) left in ${NETNS} (SIGTERM, then SIGKILL): ${pids.join(' ')}`);
    for (const pid of pids) await q`kill -${signal} ${pid}`;
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && (await namespacePids()).length) await sleep(250);
  }
  await q`ip netns del ${NETNS}`;
}
