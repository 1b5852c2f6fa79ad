import { HOST_NAMES, type HostSpec, hostSpec } from '../ip-plan.ts';
import { parseCommandLine } from '../parse-args.ts';
import { UsageError } from '../usage-error.ts';

export const LAB_USAGE = 'usage: npm run lab -- up [extra hosts…] | down | status | shell <host> | exec <host> -- <command…>';

export type LabCommand =
  | { command: 'up'; extras: HostSpec[] }
  | { command: 'down' | 'status' }
  | { command: 'shell'; host: HostSpec }
  | { command: 'exec'; host: HostSpec; args: string[] };

/**
 * `npm run lab -- …`, declared like every command line (lib/parse-args.ts): the lab takes no
 * options, and what follows exec's host is the command to run, its options included.
 */
export function parseLabArgs(argv: readonly string[]): LabCommand {
  const own = argv[0] === 'exec' ? argv.slice(0, 2) : argv;
  const [command, ...names] = parseCommandLine(own, {}, LAB_USAGE).positionals;
  const none = (extra: readonly string[]) => {
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}. ${LAB_USAGE}`);
  };
  switch (command) {
    case 'up':
      // Extra hosts of chapters 11–13 by name: `npm run lab -- up etcdnode2 etcdnode3`.
      return { command, extras: names.map(hostSpec).filter((spec) => !spec.core) };
    case 'down':
    case 'status':
      none(names);
      return { command };
    case 'shell':
    case 'exec': {
      const [name, ...extra] = names;
      if (!name) throw new UsageError(`${command} needs a host (${HOST_NAMES.join(', ')}). ${LAB_USAGE}`);
      const host = hostSpec(name);
      if (command === 'shell') {
        none(extra);
        return { command, host };
      }
      const args = argv.slice(2);
      if (args[0] === '--') args.shift();
      if (args.length === 0) throw new UsageError(`exec needs a command after the host. ${LAB_USAGE}`);
      return { command, host, args };
    }
    case undefined:
      throw new UsageError(`no lab command. ${LAB_USAGE}`);
    default:
      throw new UsageError(`unknown lab command "${command}". ${LAB_USAGE}`);
  }
}
