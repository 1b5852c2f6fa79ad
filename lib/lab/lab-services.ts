import { sleep } from '../clients/wait.ts';
import type { Host, ServiceState, Services } from '../host/host.ts';
import { REMOTE_PATH } from '../host/remote-command.ts';
import { sh, shellJoin } from '../host/shell.ts';
import { expandCommandLine, parseEnvironmentFile, parseUnit, type Unit } from '../host/systemd-unit.ts';

const UNIT_DIRS = ['/etc/systemd/system', '/lib/systemd/system'];

/**
 * The ports each of the workbook's services listens on in a lab host (lib/ip-plan.ts, the
 * chapters), and the programs of its own that may hold them: a service is not started while
 * another process of the host holds one of them. Its own programs are no conflict: a PostgreSQL
 * that outlived a killed Patroni is adopted by the next one, an old HAProxy worker finishes its sessions.
 */
const SERVICE_PORTS: Readonly<Record<string, { ports: readonly number[]; own: readonly string[] }>> = {
  etcd: { ports: [2379, 2380], own: ['etcd'] },
  patroni: { ports: [8008, 5432], own: ['patroni', 'postgres'] },
  haproxy: { ports: [5000, 5001, 7000], own: ['haproxy'] },
  pgbouncer: { ports: [6432], own: ['pgbouncer'] },
};

/**
 * Service lifecycle without systemd: the host's own unit file is read and its ExecStart run
 * under start-stop-daemon, with the unit's user, environment and pid file under the host's
 * private /run. Enabling makes the same symlink `systemctl enable` makes.
 */
export class LabServices implements Services {
  constructor(private readonly host: Host) {}

  async start(unitName: string): Promise<boolean> {
    const unit = await this.unit(unitName);
    if ((await this.status(unitName)) === 'running') return false;
    const known = SERVICE_PORTS[baseName(unit.name)];
    const taken = known && (await this.portTaken(known.ports, known.own));
    if (taken) throw this.portTakenError(unitName, taken);
    const env = await this.environment(unit);
    const argv = expandCommandLine(unit.execStart, env);
    const pid = pidFile(unit.name);
    const log = logFile(unit.name);
    const envArgs = Object.entries({ PATH: REMOTE_PATH, LANG: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${v}`);
    await this.host.run(
      [
        sh`mkdir -p /run/workbook && touch ${log} && chown ${`${unit.user}:${unit.group}`} ${log} && chmod 0640 ${log}`,
        shellJoin([
          'env',
          '-i',
          ...envArgs,
          'start-stop-daemon',
          '--start',
          '--quiet',
          '--background',
          '--make-pidfile',
          '--pidfile',
          pid,
          '--chuid',
          `${unit.user}:${unit.group}`,
          '--chdir',
          '/',
          '--output',
          log,
          '--startas',
          argv[0],
          '--',
          ...argv.slice(1),
        ]),
      ].join(' && '),
    );
    // start-stop-daemon --background returns at once: give the service a moment to fail on a bad config.
    await sleep(300);
    if ((await this.status(unitName)) !== 'running') {
      const tail = await this.host.run(sh`tail -n 15 ${log}`, { check: false });
      if (/address already in use|cannot bind|EADDRINUSE/i.test(tail.stdout)) {
        const mentioned = [...tail.stdout.matchAll(/(?::|port )(\d{2,5})\b/g)].map((m) => Number(m[1]));
        const taken = await this.portTaken(mentioned);
        if (taken) throw this.portTakenError(unitName, taken);
      }
      throw new Error(`${unitName} did not stay up on ${this.host.name}; the end of ${log}:\n${tail.stdout}`);
    }
    return true;
  }

  /** Which of these ports a process of the host already listens on, and which process. */
  private async portTaken(
    ports: readonly number[],
    own: readonly string[] = [],
  ): Promise<{ port: number; process: string; pid: string } | undefined> {
    if (ports.length === 0) return undefined;
    const listeners = (await this.host.run('ss -ltnpH', { check: false })).stdout
      .split('\n')
      .map((line) => {
        const port = Number(/\S+:(\d+)\s+\S+:\*/.exec(line)?.[1]);
        const owner = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
        return port && owner ? { port, process: owner[1], pid: owner[2] } : undefined;
      })
      .filter((l) => l !== undefined);
    return listeners.find((l) => ports.includes(l.port) && !own.includes(l.process));
  }

  private portTakenError(unitName: string, taken: { port: number; process: string; pid: string }): Error {
    return new Error(
      `${unitName} cannot start on ${this.host.name}: port ${taken.port} is already taken there by ${taken.process} (pid ${taken.pid}).\n` +
        `  Stop that process (\`npm run lab -- exec ${this.host.name} -- kill ${taken.pid}\`), then run this again.`,
    );
  }

  async stop(unitName: string): Promise<boolean> {
    const unit = await this.unit(unitName);
    if ((await this.status(unitName)) === 'stopped') return false;
    const pid = pidFile(unit.name);
    const seconds = Math.max(1, unit.timeoutSec);
    await this.host.run(
      sh`start-stop-daemon --stop --quiet --pidfile ${pid} --retry ${`TERM/${seconds}/KILL/5`} --remove-pidfile || true`,
    );
    return true;
  }

  async restart(unitName: string): Promise<void> {
    await this.stop(unitName);
    await this.start(unitName);
  }

  async reload(unitName: string): Promise<void> {
    const unit = await this.unit(unitName);
    const mainPid = (await this.host.readFile(pidFile(unit.name)))?.trim();
    if (!mainPid) throw new Error(`${unitName} is not running on ${this.host.name}: start it instead of reloading`);
    const env = { ...(await this.environment(unit)), MAINPID: mainPid };
    for (const line of unit.execReload) await this.host.run(shellJoin(expandCommandLine(line, env)));
  }

  async status(unitName: string): Promise<ServiceState> {
    const result = await this.host.run(sh`start-stop-daemon --status --pidfile ${pidFile(unitName)}`, { check: false });
    return result.exitCode === 0 ? 'running' : 'stopped';
  }

  async enable(unitName: string): Promise<boolean> {
    const { unit, path } = await this.unitWithPath(unitName);
    if (unit.wantedBy.length === 0) throw new Error(`${unitName} has no [Install] WantedBy=, so it cannot be enabled`);
    let changed = false;
    for (const target of unit.wantedBy) {
      if (!/\.(target|service)$/.test(target)) {
        throw new Error(`${unitName}: WantedBy=${target} is not a unit name (a typo for multi-user.target?)`);
      }
      const link = `/etc/systemd/system/${target}.wants/${unitFileName(unitName)}`;
      const result = await this.host.run(
        sh`[ "$(readlink ${link})" = ${path} ] || { mkdir -p $(dirname ${link}) && ln -sfn ${path} ${link} && echo linked; }`,
      );
      changed ||= result.stdout.includes('linked');
    }
    return changed;
  }

  async isEnabled(unitName: string): Promise<boolean> {
    const file = unitFileName(unitName);
    const result = await this.host.run(sh`ls /etc/systemd/system/*.wants/${file} >/dev/null 2>&1`, { check: false });
    return result.exitCode === 0;
  }

  async daemonReload(): Promise<void> {
    // Nothing is cached: every operation reads the unit file afresh.
  }

  private async unit(unitName: string): Promise<Unit> {
    return (await this.unitWithPath(unitName)).unit;
  }

  private async unitWithPath(unitName: string): Promise<{ unit: Unit; path: string }> {
    const file = unitFileName(unitName);
    for (const dir of UNIT_DIRS) {
      const text = await this.host.readFile(`${dir}/${file}`);
      if (text !== undefined) return { unit: parseUnit(text, file, this.host.name), path: `${dir}/${file}` };
    }
    throw new Error(`unit ${file} not found on ${this.host.name} (looked in ${UNIT_DIRS.join(', ')})`);
  }

  private async environment(unit: Unit): Promise<Record<string, string>> {
    const env = { ...unit.environment };
    for (const file of unit.environmentFiles) {
      const text = await this.host.readFile(file.path);
      if (text === undefined) {
        if (!file.optional) throw new Error(`${unit.name}: EnvironmentFile ${file.path} is missing on ${this.host.name}`);
        continue;
      }
      Object.assign(env, parseEnvironmentFile(text));
    }
    return env;
  }
}

function unitFileName(unit: string): string {
  return unit.endsWith('.service') ? unit : `${unit}.service`;
}

function baseName(unit: string): string {
  return unit.replace(/\.service$/, '');
}

export function pidFile(unit: string): string {
  return `/run/workbook/${baseName(unit)}.pid`;
}

export function logFile(unit: string): string {
  return `/var/log/${baseName(unit)}.log`;
}
