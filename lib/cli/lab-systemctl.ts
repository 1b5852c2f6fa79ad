import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LocalHost } from '../host/local-host.ts';
import { LabServices, logFile } from '../lab/lab-services.ts';
import { UsageError } from '../usage-error.ts';
import { main } from './errors.ts';

/**
 * `systemctl` inside a lab host (bind-mounted over /usr/bin/systemctl there): the by-hand
 * commands of the chapters work in the lab as on a VM, running the same unit files.
 */
const USAGE =
  'lab systemctl: start|stop|restart|reload|status|is-active|enable [--now]|is-enabled|cat|daemon-reload [--no-block] UNIT…';

/**
 * Options that change nothing here. `--no-block`: the lab's start never waits for a unit to say
 * it is ready (systemd's does, and etcd is ready only with a quorum: chapter 16 starts its members
 * with `--no-block`).
 */
const NO_EFFECT = ['--no-pager', '-l', '--full', '-q', '--quiet', '--no-block'];

await main(async () => {
  const args = process.argv.slice(2).filter((a) => !NO_EFFECT.includes(a));
  const now = args.includes('--now');
  const [verb, ...units] = args.filter((a) => a !== '--now');
  const services = new LabServices(new LocalHost(hostname()));
  if (verb === 'daemon-reload') return 0;
  if (!verb || units.length === 0) throw new UsageError(USAGE);
  let code = 0;
  for (const unit of units) {
    switch (verb) {
      case 'start':
        await services.start(unit);
        break;
      case 'stop':
        await services.stop(unit);
        break;
      case 'restart':
        await services.restart(unit);
        break;
      case 'reload':
        await services.reload(unit);
        break;
      case 'enable':
        await services.enable(unit);
        if (now) await services.start(unit);
        break;
      case 'cat': {
        // As systemd prints it: the file it uses, named in a comment first.
        const file = unit.endsWith('.service') ? unit : `${unit}.service`;
        const found = await firstReadable([`/etc/systemd/system/${file}`, `/lib/systemd/system/${file}`]);
        if (!found) {
          console.error(`No files found for ${file}.`);
          code = 1;
        } else console.log(`# ${found.path}\n${found.text.replace(/\n$/, '')}`);
        break;
      }
      case 'is-enabled': {
        const enabled = await services.isEnabled(unit);
        console.log(enabled ? 'enabled' : 'disabled');
        if (!enabled) code = 1;
        break;
      }
      case 'is-active':
      case 'status': {
        const state = await services.status(unit);
        if (verb === 'is-active') console.log(state === 'running' ? 'active' : 'inactive');
        else {
          console.log(`● ${unit} (lab: run by start-stop-daemon from its unit file)`);
          console.log(`     Active: ${state === 'running' ? 'active (running)' : 'inactive (dead)'}`);
          console.log(`        Log: ${logFile(unit)}`);
        }
        if (state !== 'running') code = 3;
        break;
      }
      default:
        throw new UsageError(`"${verb}" is not supported in the lab. ${USAGE}`);
    }
  }
  return code;
});

async function firstReadable(paths: string[]): Promise<{ path: string; text: string } | undefined> {
  for (const path of paths) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}
