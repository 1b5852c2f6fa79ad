import type { Host } from '../host/host.ts';
import { CORE_HOSTS, hostSpec } from '../inventory.ts';
import type { Target } from '../target.ts';
import { assertRoot, labProblems, labUp } from './lab.ts';
import { LabHost } from './lab-host.ts';
import { LabDownError } from './safety.ts';

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
    const problems = await labProblems(CORE_HOSTS);
    if (problems.length) throw new LabDownError(problems.join('; '));
  }

  bringUp(report: (line: string) => void): Promise<string[]> {
    return labUp(report);
  }

  addHosts(names: readonly string[], report: (line: string) => void): Promise<string[]> {
    return labUp(report, names.map(hostSpec));
  }
}
