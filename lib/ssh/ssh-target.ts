import { readFileSync } from 'node:fs';
import type { Host } from '../host/host.ts';
import { findUnreachable, findUnroutable, type Unreachable } from '../host/reachability.ts';
import { privilegeFor } from '../host/remote-command.ts';
import { CORE_HOSTS, hostSpec } from '../ip-plan.ts';
import { ROOT } from '../paths.ts';
import { SSH_CONTROL_DIR, targetStateDir } from '../state.ts';
import type { Target } from '../target.ts';
import { InventoryError, type InventoryHost, parseInventory } from './inventory-file.ts';
import { InventorySshConfig } from './inventory-ssh-config.ts';
import { chooseControlDir } from './ssh-control.ts';
import { SshHost } from './ssh-host.ts';
import { SshTransport } from './ssh-transport.ts';

export function inventoryPath(): string {
  return process.env.WORKBOOK_INVENTORY ?? `${ROOT}/inventory.yml`;
}

/** Your own servers, listed in inventory.yml, reached with plain ssh (same transport as the VMs). */
export class SshTarget implements Target {
  readonly name = 'ssh' as const;
  readonly description: string;
  /** The chapters install the packages on the machines, as the guide does. */
  readonly packagesPreinstalled = false;
  private readonly transport: SshTransport;
  private readonly hosts = new Map<string, Host>();
  private inventory?: InventoryHost[];

  constructor(
    private readonly file = inventoryPath(),
    stateDir = targetStateDir('ssh'),
    controlDir = chooseControlDir(SSH_CONTROL_DIR, process.getuid?.() ?? 0),
  ) {
    this.description = `ssh (your servers from ${file}, reached by ssh)`;
    const source = new InventorySshConfig(() => this.machines(), {
      configFile: `${stateDir}/ssh-config`,
      controlDir,
      socketPrefix: 'ssh',
      knownHostsFile: `${stateDir}/known_hosts`,
      hint: (alias) =>
        `Check its entry in ${file}, then try \`ssh -F ${stateDir}/ssh-config ${alias} true\` to see ssh's own words.`,
    });
    this.transport = new SshTransport(source);
  }

  host(name: string): Host {
    let host = this.hosts.get(name);
    if (!host) {
      const machine = this.machine(name);
      host = new SshHost(hostSpec(name), this.transport, { privilege: privilegeFor(machine.user), loginUser: machine.user });
      this.hosts.set(name, host);
    }
    return host;
  }

  assertUp(): Promise<void> {
    return this.assertReachable(CORE_HOSTS.map((h) => h.name));
  }

  /** Servers cannot be created from here: chapter 1 only proves they are reachable. */
  async bringUp(report: (line: string) => void): Promise<string[]> {
    report(`the ssh target uses your own servers (${this.file}); checking that each one answers`);
    await this.assertUp();
    return [];
  }

  /** Chapters 11-13: the extra servers must be in the inventory and reachable. */
  async addHosts(names: readonly string[], report: (line: string) => void): Promise<string[]> {
    report(`checking that ${names.join(', ')} from ${this.file} answer`);
    await this.assertReachable(names);
    return [];
  }

  private async assertReachable(names: readonly string[]): Promise<void> {
    const hosts = names.map((name) => this.host(name));
    const problems: Unreachable[] = await findUnreachable(hosts, 10);
    if (problems.length === 0) problems.push(...(await findUnroutable(hosts)));
    if (problems.length) {
      throw new Error(
        `the servers of ${this.file} are not all ready:\n${problems.map((p) => `  - ${p.host}: ${p.problem}`).join('\n')}`,
      );
    }
  }

  close(): Promise<void> {
    return this.transport.closeAll();
  }

  private machine(name: string): InventoryHost {
    const machine = this.machines().find((m) => m.name === name);
    if (!machine)
      throw new InventoryError(
        this.file,
        `it has no entry for ${name} (the IP plan's machines: ${CORE_HOSTS.map((h) => h.name).join(', ')})`,
      );
    return machine;
  }

  private machines(): InventoryHost[] {
    if (!this.inventory) {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch {
        throw new Error(
          `the ssh target needs an inventory of your servers, and ${this.file} does not exist: copy lib/ssh/inventory.example.yml there and fill it in (or set WORKBOOK_INVENTORY)`,
        );
      }
      this.inventory = parseInventory(text, this.file);
    }
    return this.inventory;
  }
}
