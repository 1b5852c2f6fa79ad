import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes under `pid` (its children, theirs, and so on), read from /proc. `ip netns exec`
 * execs npm, and npm runs its script in a shell of its own: a SIGTERM to npm alone ends npm and
 * leaves the chapter it started running on, an orphan that keeps changing the VMs.
 */
export function descendants(pid: number, proc = '/proc'): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${proc}/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** SIGTERM to a process and every process under it (those found first, then it). */
export function terminateTree(pid: number): void {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
