import { existsSync, readdirSync, statSync } from 'node:fs';
import { SUBNET } from '../ip-plan.ts';
import { local, succeeds } from '../local.ts';
import { LAB_NETNS } from '../paths.ts';

export const BRIDGE = 'wbbr0';

/**
 * The guard of network safety: an unreachable route for the lab subnet, installed before any
 * lab exists and never removed, so no packet for 192.168.56.0/24 can leave by the default route.
 */
export async function ensureSafetyRoute(): Promise<boolean> {
  const existing = await local`ip route show type unreachable ${SUBNET}`;
  if (existing.trim()) return false;
  await local`ip route add unreachable ${SUBNET} metric 4000`;
  return true;
}

export async function hasSafetyRoute(): Promise<boolean> {
  return (await local`ip route show type unreachable ${SUBNET}`).trim() !== '';
}

export class LabDownError extends Error {
  constructor(detail: string) {
    super(`the lab is not up (${detail}): run \`npm run lab -- up\` or \`npm run chapter 1\` first`);
  }
}

/** No lab at all on this machine (never made, or torn down). */
export class NoLabError extends Error {
  constructor() {
    super(
      'there is no lab on this machine (never made, or torn down): `npm run chapter 1` makes it, `npm run chapter all` makes the whole cluster',
    );
  }
}

/** Some of the lab is there, some is not: a teardown or a bring-up that did not finish. */
export class PartialLabError extends Error {
  constructor(problems: readonly string[]) {
    super(
      `the lab is only partly there (${problems.join('; ')}): \`npm run lab -- up\` rebuilds what is missing, then \`npm run chapter all\` puts the cluster back on it`,
    );
  }
}

/**
 * A lab inside a network namespace of its own (WORKBOOK_LAB_NETNS) is only reached from inside
 * it: from anywhere else 192.168.56.0/24 is the machine's lab, or nothing.
 */
export function assertInLabNetns(netns = LAB_NETNS): void {
  const inode = (path: string) => {
    try {
      const { dev, ino } = statSync(path);
      return `${dev}:${ino}`;
    } catch {
      return undefined;
    }
  };
  if (!netns) {
    // The machine's lab is reached from the machine's own network namespace, which has no name:
    // from inside a named one (a second lab's, test:vms's, a lab host's), its host names would
    // find the machine lab's hosts by name and their links nowhere, and a repair would tear them down.
    const here = inode('/proc/self/ns/net');
    const named = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
    const inside = named.find((name) => here !== undefined && inode(`/run/netns/${name}`) === here);
    if (inside)
      throw new Error(
        `this runs inside network namespace ${inside}, where the machine's lab is not: set WORKBOOK_LAB_NETNS=${inside} if a lab lives there, or run it outside (without nsenter or ip netns exec)`,
      );
    return;
  }
  if (netns === 'lab')
    throw new Error('WORKBOOK_LAB_NETNS=lab would share the directory and lock of the machine’s lab: choose another name');
  const lab = inode(`/run/netns/${netns}`);
  if (lab === undefined)
    throw new Error(
      `WORKBOOK_LAB_NETNS=${netns}, but there is no network namespace ${netns}: make it (\`ip netns add ${netns}\`), or unset WORKBOOK_LAB_NETNS for the machine's lab`,
    );
  if (inode('/proc/self/ns/net') !== lab)
    throw new Error(
      `WORKBOOK_LAB_NETNS=${netns}, but this runs outside that network namespace: run it as \`nsenter --net=/run/netns/${netns} npm run …\`, or unset WORKBOOK_LAB_NETNS for the machine's lab`,
    );
}

/** Confirms that traffic to this lab address would go into the lab's bridge and nowhere else. */
export async function assertRoutedIntoLab(address: string): Promise<void> {
  assertInLabNetns();
  if (!(await hasSafetyRoute())) throw new LabDownError(`the safety route for ${SUBNET} is missing`);
  const route = await local`ip route get ${address}`.catch(() => '');
  if (!new RegExp(`\\bdev ${BRIDGE}\\b`).test(route)) {
    throw new LabDownError(`${address} is not routed into the lab bridge ${BRIDGE}`);
  }
}

export async function bridgeExists(): Promise<boolean> {
  return succeeds`ip link show ${BRIDGE}`;
}
