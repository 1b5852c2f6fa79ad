import assert from 'node:assert/strict';
import { hostSpec } from '../../lib/ip-plan.ts';
import { labDown, labUp } from '../../lib/lab/lab.ts';
import { LabHost } from '../../lib/lab/lab-host.ts';
import { assertRoutedIntoLab } from '../../lib/lab/safety.ts';
import { local } from '../../lib/local.ts';
import { npmRun } from './support.ts';

/**
 * The wrong environments that need a lab (the others are in test/unit/wrong-environment.test.ts),
 * produced for real on a fresh lab after the teardown (named 995-… so that it sorts after
 * 99-teardown), and torn down again at the end.
 */
const quiet = () => {};
const produced: string[] = [];

/** The `error:` line and what follows it: what a person reads. */
function message(output: string): string {
  return output.slice(Math.max(0, output.search(/^error: /m))).trim();
}

describe('lab: wrong environments get one or two lines and the command that fixes them', function () {
  this.timeout(300000);

  before(async () => {
    await labDown(quiet); // already down after 99-teardown; run alone, make sure
  });

  after(async () => {
    await labDown(quiet);
    console.log('\n      produced:');
    for (const line of produced) console.log(`      ${line.replaceAll('\n', ' ⏎ ')}`);
  });

  it('no lab at all, and a chapter past the first', async () => {
    const { code, output } = await npmRun('chapter', '5');
    produced.push(`npm run chapter 5 → ${message(output)}`);
    assert.equal(code, 1, output);
    assert.equal(
      message(output),
      'error: there is no lab on this machine yet: `npm run chapter 5 -- --catch-up` makes it and applies chapters 1–4 first (or start with `npm run chapter 1`)',
    );
  });

  it('a lab half torn down (one host lost its link, as a teardown that stopped midway leaves it)', async () => {
    await labUp(quiet);
    await local`ip link del wb-node2`;
    const { code, output } = await npmRun('check', '5');
    produced.push(`npm run check 5 → ${message(output)}`);
    assert.equal(code, 1, output);
    assert.equal(
      message(output),
      'error: the lab is only partly there (node2: its network link is missing): `npm run lab -- up` rebuilds what is missing, then `npm run chapter all` puts the cluster back on it',
    );
    const up = await npmRun('lab', '--', 'up');
    assert.equal(up.code, 0, up.output);
    assert.match(up.output, /node2: its network link is missing; rebuilding it/);
  });

  it("a service's port already taken inside a lab host: names the port, the process and how to stop it", async () => {
    const etcdnode = new LabHost(hostSpec('etcdnode'));
    await assertRoutedIntoLab(hostSpec('etcdnode').address);
    // A real listener on etcd's client port, inside etcdnode only; it ends by itself after 5 minutes.
    const listener = `import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 2379))
s.listen()
time.sleep(300)`;
    await etcdnode.writeFile('/run/wb-port-taker.py', listener);
    await etcdnode.run(
      'start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/wb-port-taker.pid --startas /usr/bin/python3 -- /run/wb-port-taker.py',
    );
    try {
      await etcdnode.run('for i in $(seq 50); do ss -ltnH | grep -q ":2379 " && exit 0; sleep 0.1; done; exit 1');
      const pid = (await etcdnode.run('cat /run/wb-port-taker.pid')).stdout.trim();
      const { code, output } = await npmRun('chapter', '5', '--', '--catch-up');
      produced.push(`npm run chapter 5 -- --catch-up → ${message(output)}`);
      assert.equal(code, 1, output);
      assert.equal(
        message(output),
        `error: etcd cannot start on etcdnode: port 2379 is already taken there by python3 (pid ${pid}).\n  Stop that process (\`npm run lab -- exec etcdnode -- kill ${pid}\`), then run this again.`,
      );
    } finally {
      await etcdnode.run('start-stop-daemon --stop --quiet --pidfile /run/wb-port-taker.pid --remove-pidfile || true', {
        check: false,
      });
    }
  });
});
