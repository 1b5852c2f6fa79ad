import type { Host } from '../host/host.ts';
import { findUnreachable, findUnroutable, type Unreachable } from '../host/reachability.ts';
import { CORE_HOSTS, hostSpec } from '../ip-plan.ts';
import { ROOT } from '../paths.ts';
import { chooseControlDir } from '../ssh/ssh-control.ts';
import { SshHost } from '../ssh/ssh-host.ts';
import { SshTransport } from '../ssh/ssh-transport.ts';
import { SSH_CONTROL_DIR, targetStateDir } from '../state.ts';
import type { Target } from '../target.ts';
import { VagrantCli } from './vagrant-cli.ts';
import { VmsNotUpError } from './vagrant-errors.ts';
import { VagrantSshConfig } from './vagrant-ssh-config.ts';
import { isRunning } from './vagrant-status.ts';

/** The VMs of the Vagrantfile, reached over ssh with a cached `vagrant ssh-config` and shared connections. */
export class VagrantTarget implements Target {
  readonly name = 'vagrant' as const;
  readonly description = 'vagrant (VMs from the Vagrantfile, reached by ssh with a cached `vagrant ssh-config`)';
  /** The chapters install the packages on the machines, as the guide does. */
  readonly packagesPreinstalled = false;
  private readonly sshConfig: VagrantSshConfig;
  private readonly transport: SshTransport;
  private readonly hosts = new Map<string, Host>();

  constructor(
    private readonly cli = new VagrantCli(ROOT),
    {
      stateDir = targetStateDir('vagrant'),
      controlDir = chooseControlDir(SSH_CONTROL_DIR, process.getuid?.() ?? 0),
    }: { stateDir?: string; controlDir?: string } = {},
  ) {
    this.sshConfig = new VagrantSshConfig(cli, { configFile: `${stateDir}/ssh-config`, controlDir });
    this.transport = new SshTransport(this.sshConfig);
  }

  host(name: string): Host {
    let host = this.hosts.get(name);
    if (!host) {
      // Vagrant boxes log in as `vagrant`, who may use sudo without a password.
      host = new SshHost(hostSpec(name), this.transport, { privilege: 'sudo', loginUser: 'vagrant' });
      this.hosts.set(name, host);
    }
    return host;
  }

  /**
   * Fast when all is well: with a fresh cache, one ssh round trip per machine and no vagrant
   * call. Otherwise vagrant is asked, so that the message says exactly what is wrong.
   */
  assertUp(): Promise<void> {
    return this.assertMachinesUp(CORE_HOSTS.map((h) => h.name));
  }

  /** Chapter 1: `vagrant up` for the five machines that are not running yet. */
  bringUp(report: (line: string) => void): Promise<string[]> {
    return this.upMachines(
      CORE_HOSTS.map((h) => h.name),
      report,
    );
  }

  /** Chapters 11-13: the machines the Vagrantfile defines with autostart off, started by name. */
  addHosts(names: readonly string[], report: (line: string) => void): Promise<string[]> {
    return this.upMachines(names, report);
  }

  private async upMachines(names: readonly string[], report: (line: string) => void): Promise<string[]> {
    await this.cli.assertInstalled();
    for (const name of names) hostSpec(name);
    const states = await this.cli.status();
    const down = names.filter((name) => !isRunning(states.get(name)));
    if (down.length) {
      report(`vagrant up ${down.join(' ')}   (in ${this.cli.cwd}; the first time, this downloads the box and takes minutes)`);
      await this.cli.up(down, (line) => report(`    ${line}`));
    } else {
      report(`${names.length === 1 ? 'the VM is' : `the ${names.length} VMs are`} running`);
    }
    if (await this.sshConfig.refresh()) await this.transport.closeAll();
    await this.assertMachinesUp(names);
    return down.map((name) => `started VM ${name} (vagrant up)`);
  }

  private async assertMachinesUp(names: readonly string[]): Promise<void> {
    await this.cli.assertInstalled();
    const hosts = names.map((name) => this.host(name));
    if (await this.sshConfig.isFresh(names)) {
      if ((await findUnreachable(hosts)).length === 0) return this.assertRoutes(hosts);
    }
    const states = await this.cli.status();
    const down = names.filter((name) => !isRunning(states.get(name)));
    if (down.length)
      throw new VmsNotUpError(
        down.map((name) => states.get(name) ?? { name, state: 'missing from the Vagrantfile' }),
        this.cli.cwd,
      );
    if (await this.sshConfig.refresh()) await this.transport.closeAll();
    const unreachable = await findUnreachable(hosts);
    if (unreachable.length) throw new Error(describe('the VMs are running, but', unreachable));
    await this.assertRoutes(hosts);
  }

  /** Closes the shared ssh connections (they would otherwise stay open for ten minutes). */
  close(): Promise<void> {
    return this.transport.closeAll();
  }

  private async assertRoutes(hosts: readonly Host[]): Promise<void> {
    const unroutable = await findUnroutable(hosts);
    if (unroutable.length) {
      throw new Error(
        describe(
          "the VMs are up, but this machine cannot reach their private addresses (VirtualBox's host-only network or libvirt's network is missing: `vagrant reload`)",
          unroutable,
        ),
      );
    }
  }
}

function describe(lead: string, problems: readonly Unreachable[]): string {
  return `${lead}:\n${problems.map((p) => `  - ${p.host}: ${p.problem}`).join('\n')}`;
}
