import { sleep } from '../clients/wait.ts';
import { local, succeeds } from '../local.ts';

/**
 * The network namespace a second lab lives in (WORKBOOK_LAB_NETNS, lib/paths.ts): only its
 * loopback at first; the lab adds its bridge and the safety route inside it. Nothing in it
 * reaches the machine's network, so the second lab's 192.168.56.0/24 is its own.
 */
export async function ensureLabNetns(name: string): Promise<void> {
  if (!(await succeeds`test -e /run/netns/${name}`)) await local`ip netns add ${name}`;
  await local`ip -n ${name} link set lo up`;
}

/** The argv prefix that runs a command inside it (its network only: the mounts stay the machine's). */
export function inLabNetns(name: string): string[] {
  return ['nsenter', `--net=/run/netns/${name}`, '--'];
}

/**
 * Removes it, after the lab inside has been torn down: a process still in it (found by the
 * namespace, never by name) is stopped first.
 */
export async function removeLabNetns(name: string): Promise<void> {
  if (!(await succeeds`test -e /run/netns/${name}`)) return;
  const pids = async () => (await local`ip netns pids ${name}`.catch(() => '')).split('\n').filter(Boolean);
  for (const signal of ['TERM', 'KILL'] as const) {
    const left = await pids();
    if (!left.length) break;
    await local`kill -${signal} ${left}`.catch(() => '');
    for (let i = 0; i < 30 && (await pids()).length; i++) await sleep(100);
  }
  await local`ip netns del ${name}`;
}
