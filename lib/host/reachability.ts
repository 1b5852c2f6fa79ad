import { assertClusterAddress } from '../clients/guard.ts';
import { HostUnreachableError } from '../ssh/ssh-transport.ts';
import type { Host } from './host.ts';

export interface Unreachable {
  host: string;
  problem: string;
}

/**
 * Asks every machine, all at once, for its name and addresses: the ssh path works, and the
 * machine has its address of the IP plan. Returns what is wrong, one entry per machine.
 */
export async function findUnreachable(hosts: readonly Host[], connectTimeout = 5): Promise<Unreachable[]> {
  const results = await Promise.all(hosts.map((host) => probe(host, connectTimeout)));
  return results.filter((r): r is Unreachable => r !== undefined);
}

async function probe(host: Host, connectTimeout: number): Promise<Unreachable | undefined> {
  try {
    // connectTimeout and retry are the ssh hosts' extra run options; other hosts ignore them.
    const options = { check: false, connectTimeout, retry: false };
    const result = await host.run('hostname; ip -4 -o addr show', options);
    if (result.exitCode !== 0)
      return { host: host.name, problem: `\`hostname; ip -4 -o addr show\` failed: ${result.stderr.trim()}` };
    if (!new RegExp(`\\binet ${host.address.replaceAll('.', '\\.')}/`).test(result.stdout)) {
      return { host: host.name, problem: `it is up but does not have its private address ${host.address}` };
    }
    return undefined;
  } catch (error) {
    if (error instanceof HostUnreachableError) return { host: host.name, problem: error.message };
    throw error;
  }
}

/** This machine must reach each cluster address directly (the checks connect to them). */
export async function findUnroutable(hosts: readonly Host[]): Promise<Unreachable[]> {
  const problems: Unreachable[] = [];
  for (const host of hosts) {
    try {
      await assertClusterAddress(host.address);
    } catch (error) {
      problems.push({ host: host.name, problem: (error as Error).message });
    }
  }
  return problems;
}
