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

/** The named network namespaces on this machine (`ip netns list`). */
export async function listNamespaces(): Promise<string[]> {
  return (await local`ip netns list`)
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean);
}

/**
 * Stops every process in a network namespace, found by the namespace, never by name: TERM, then
 * KILL. Returns the pids that would not die.
 */
export async function stopProcessesIn(netns: string): Promise<string[]> {
  const pids = async () => (await local`ip netns pids ${netns}`.catch(() => '')).split('\n').filter(Boolean);
  for (const [signal, waitMs] of [
    ['TERM', 5000],
    ['KILL', 3000],
  ] as const) {
    const list = await pids();
    if (list.length === 0) return [];
    await local`kill -${signal} ${list}`.catch(() => '');
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && (await pids()).length) await sleep(100);
  }
  return pids();
}

/**
 * Removes it, after `lab down` inside it. Whatever that teardown left (it failed, or was cut
 * short) goes too, so that nothing of the second lab keeps running unreachable: the processes of
 * its hosts' namespaces (`<name>-node1`…) and those namespaces. Returns what it had to remove.
 */
export async function removeLabNetns(name: string): Promise<string[]> {
  const left = (await listNamespaces()).filter((ns) => ns.startsWith(`${name}-`));
  for (const ns of left) {
    await stopProcessesIn(ns);
    await local`ip netns del ${ns}`;
  }
  if (await succeeds`test -e /run/netns/${name}`) {
    await stopProcessesIn(name);
    await local`ip netns del ${name}`;
  }
  return left;
}
