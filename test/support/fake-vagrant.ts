import { VagrantCli } from '../../lib/vagrant/vagrant-cli.ts';
import type { MachineStatus } from '../../lib/vagrant/vagrant-status.ts';

/** A VagrantCli that answers from a table instead of starting vagrant (which takes seconds and needs VMs). */
export class FakeVagrant extends VagrantCli {
  readonly calls: string[] = [];
  present = true;
  states = new Map<string, MachineStatus>();

  constructor(cwd: string) {
    super(cwd);
  }

  set(state: string, ...names: string[]): this {
    for (const name of names) this.states.set(name, { name, state, provider: 'libvirt' });
    return this;
  }

  override async installed(): Promise<boolean> {
    return this.present;
  }

  override async status(): Promise<Map<string, MachineStatus>> {
    await this.assertInstalled();
    this.calls.push('status');
    return new Map(this.states);
  }

  override async sshConfig(names: readonly string[]): Promise<string> {
    this.calls.push(`ssh-config ${names.join(' ')}`);
    return names
      .map(
        (n, i) =>
          `Host ${n}\n  HostName 192.168.121.${10 + i}\n  User vagrant\n  Port 22\n  IdentityFile ${this.cwd}/.vagrant/machines/${n}/libvirt/private_key\n  LogLevel FATAL\n`,
      )
      .join('\n');
  }

  override async up(names: readonly string[], onLine: (line: string) => void): Promise<void> {
    this.calls.push(`up ${names.join(' ')}`);
    onLine(`Bringing machine '${names[0]}' up with 'libvirt' provider...`);
    this.set('running', ...names);
  }
}
