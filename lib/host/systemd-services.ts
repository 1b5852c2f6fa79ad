import { sleep } from '../clients/wait.ts';
import type { Host, ServiceState, Services } from './host.ts';
import { sh } from './shell.ts';
import { parseUnit } from './systemd-unit.ts';

/** systemd's states in which the service's processes exist. */
const RUNNING_STATES = new Set(['active', 'reloading', 'activating', 'deactivating']);
/** start-stop-daemon in the lab waits as long before it looks again. */
const SETTLE_MS = 300;

/**
 * Service lifecycle on a machine with systemd (the VMs, real servers): the same unit file the
 * lab runs under start-stop-daemon, driven by systemctl as the guide does it.
 */
export class SystemdServices implements Services {
  constructor(
    private readonly host: Host,
    private readonly settleMs = SETTLE_MS,
  ) {}

  async start(unit: string): Promise<boolean> {
    if ((await this.status(unit)) === 'running') return false;
    await this.reloadIfChanged(unit);
    await this.systemctl('start', unit);
    await this.expectRunning(unit, 'start');
    return true;
  }

  async stop(unit: string): Promise<boolean> {
    if ((await this.status(unit)) === 'stopped') return false;
    await this.systemctl('stop', unit);
    return true;
  }

  async restart(unit: string): Promise<void> {
    await this.reloadIfChanged(unit);
    await this.systemctl('restart', unit);
    await this.expectRunning(unit, 'restart');
  }

  async reload(unit: string): Promise<void> {
    if ((await this.status(unit)) !== 'running') {
      throw new Error(`${unit} is not running on ${this.host.name}: start it instead of reloading`);
    }
    await this.reloadIfChanged(unit);
    await this.systemctl('reload', unit);
  }

  async status(unit: string): Promise<ServiceState> {
    const result = await this.host.run(sh`systemctl is-active ${unitName(unit)}`, { check: false });
    return RUNNING_STATES.has(result.stdout.trim()) ? 'running' : 'stopped';
  }

  async enable(unit: string): Promise<boolean> {
    if (await this.isEnabled(unit)) return false;
    await this.assertInstallable(unit);
    await this.systemctl('enable', unit);
    return true;
  }

  async isEnabled(unit: string): Promise<boolean> {
    const result = await this.host.run(sh`systemctl is-enabled ${unitName(unit)}`, { check: false });
    return result.stdout.trim() === 'enabled';
  }

  async daemonReload(): Promise<void> {
    await this.host.run('systemctl daemon-reload');
  }

  private async systemctl(verb: string, unit: string): Promise<void> {
    const name = unitName(unit);
    const result = await this.host.run(sh`systemctl ${verb} ${name}`, { check: false });
    if (result.exitCode !== 0) {
      const why = (result.stderr || result.stdout).trim();
      throw new Error(
        `\`systemctl ${verb} ${name}\` failed on ${this.host.name}${why ? `: ${why}` : ''}\n${await this.journal(name)}`,
      );
    }
  }

  /** A unit file edited since systemd read it needs a daemon-reload first, or systemd runs the old one. */
  private async reloadIfChanged(unit: string): Promise<void> {
    const result = await this.host.run(sh`systemctl show -p NeedDaemonReload --value ${unitName(unit)}`, {
      check: false,
    });
    if (result.stdout.trim() === 'yes') await this.daemonReload();
  }

  /** Like the lab: a service that dies on a bad configuration right after it started is an error, with its log. */
  private async expectRunning(unit: string, verb: string): Promise<void> {
    await sleep(this.settleMs);
    if ((await this.status(unit)) === 'running') return;
    throw new Error(
      `${unitName(unit)} did not stay up after \`systemctl ${verb}\` on ${this.host.name}\n${await this.journal(unitName(unit))}`,
    );
  }

  /** The same test as the lab's: WantedBy= must name a unit (the guide's `multi-user.targ` typo). */
  private async assertInstallable(unit: string): Promise<void> {
    const name = unitName(unit);
    const text = await this.host.run(sh`systemctl cat ${name}`, { check: false });
    if (text.exitCode !== 0) throw new Error(`unit ${name} not found on ${this.host.name}: ${text.stderr.trim()}`);
    const parsed = parseUnit(text.stdout, name, this.host.name);
    if (parsed.wantedBy.length === 0) throw new Error(`${name} has no [Install] WantedBy=, so it cannot be enabled`);
    for (const target of parsed.wantedBy) {
      if (!/\.(target|service)$/.test(target)) {
        throw new Error(`${name}: WantedBy=${target} is not a unit name (a typo for multi-user.target?)`);
      }
    }
  }

  private async journal(name: string): Promise<string> {
    const log = await this.host.run(sh`journalctl -u ${name} -n 15 --no-pager -o cat`, { check: false });
    return `the end of \`journalctl -u ${name}\`:\n${log.stdout.trimEnd()}`;
  }
}

export function unitName(unit: string): string {
  return /\.(service|socket|timer|target|path|mount)$/.test(unit) ? unit : `${unit}.service`;
}
