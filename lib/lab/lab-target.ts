import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Host } from '../host/host.ts';
import { CORE_HOSTS, hostSpec } from '../ip-plan.ts';
import { type Target, targetStateDir } from '../target.ts';
import { assertRoot, labExists, labProblems, labUp } from './lab.ts';
import { LabHost } from './lab-host.ts';
import { assertInLabNetns, NoLabError, PartialLabError } from './safety.ts';

export class LabTarget implements Target {
  readonly name = 'lab' as const;
  readonly description = 'lab (Linux namespaces on this machine, entered with nsenter)';
  readonly packagesPreinstalled = true;
  private readonly hosts = new Map<string, Host>();

  host(name: string): Host {
    let host = this.hosts.get(name);
    if (!host) {
      host = new LabHost(hostSpec(name));
      this.hosts.set(name, host);
    }
    return host;
  }

  async assertUp(): Promise<void> {
    assertRoot();
    assertInLabNetns();
    const problems = await labProblems(CORE_HOSTS);
    if (problems.length === 0) return;
    if (!(await labExists())) throw new NoLabError();
    throw new PartialLabError(problems);
  }

  async bringUp(report: (line: string) => void): Promise<string[]> {
    const changes: string[] = [];
    if (!(await labExists())) {
      // A new lab is a new cluster: whatever an earlier cluster left (its secrets, its CA, its
      // failover records) must not follow it.
      const state = targetStateDir(this.name);
      if (existsSync(state)) {
        await rm(state, { recursive: true, force: true });
        changes.push(`removed the state of an earlier cluster (${state})`);
      }
    }
    return [...changes, ...(await labUp(report))];
  }

  addHosts(names: readonly string[], report: (line: string) => void): Promise<string[]> {
    return labUp(report, names.map(hostSpec));
  }
}
