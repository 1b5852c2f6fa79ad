import { readFile, writeFile } from 'node:fs/promises';

/**
 * `nice` alone does not keep the VMs behind the lab's tests on Linux with autogroups
 * (/proc/sys/kernel/sched_autogroup_enabled = 1, Debian's default): the scheduler first shares
 * the CPUs between sessions, equally, and only then by nice level within one. libvirtd, dnsmasq
 * and each QEMU start sessions of their own (setsid), so five niced VMs weighed as five full
 * sessions against one lab test. A session's weight is its autogroup's nice value
 * (/proc/PID/autogroup): test:vms sets it to 19 for every process of the VMs' namespace (by
 * pid, from `ip netns pids`), every few seconds, as new QEMUs appear. Not for the session
 * test:vms itself runs in (the user's shell; vagrant and the chapters are niced within it).
 */
export const AUTOGROUP_NICE = 19;

export async function autogroupEnabled(): Promise<boolean> {
  return (await readFile('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').catch(() => '0')).trim() === '1';
}

const groupOf = (text: string) => text.split(' ')[0];

/** Sets the autogroup nice of these processes' sessions, except our own; returns how many it changed. */
export async function niceAutogroups(pids: readonly number[], nice = AUTOGROUP_NICE): Promise<number> {
  let changed = 0;
  const own = groupOf(await readFile(`/proc/${process.pid}/autogroup`, 'utf8').catch(() => ''));
  for (const pid of pids) {
    const file = `/proc/${pid}/autogroup`;
    const now = await readFile(file, 'utf8').catch(() => undefined);
    if (now === undefined || groupOf(now) === own || new RegExp(`\\bnice ${nice}\\b`).test(now)) continue;
    await writeFile(file, String(nice))
      .then(() => changed++)
      .catch(() => undefined);
  }
  return changed;
}

/** Keeps doing it every `intervalMs` until the returned function is called. */
export function keepAutogroupsNiced(pids: () => Promise<number[]>, intervalMs = 3000): () => void {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    await niceAutogroups(await pids().catch(() => [])).catch(() => 0);
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
