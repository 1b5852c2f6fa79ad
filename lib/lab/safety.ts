import { SUBNET } from '../inventory.ts';
import { local, succeeds } from '../local.ts';

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

/** Confirms that traffic to this lab address would go into the lab's bridge and nowhere else. */
export async function assertRoutedIntoLab(address: string): Promise<void> {
  if (!(await hasSafetyRoute())) throw new LabDownError(`the safety route for ${SUBNET} is missing`);
  const route = await local`ip route get ${address}`.catch(() => '');
  if (!new RegExp(`\\bdev ${BRIDGE}\\b`).test(route)) {
    throw new LabDownError(`${address} is not routed into the lab bridge ${BRIDGE}`);
  }
}

export async function bridgeExists(): Promise<boolean> {
  return succeeds`ip link show ${BRIDGE}`;
}
