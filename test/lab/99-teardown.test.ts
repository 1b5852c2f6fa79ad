import assert from 'node:assert/strict';
import { hostOfNetns } from '../../lib/lab/lab-host.ts';
import { local } from '../../lib/local.ts';
import { LAB_DIR } from '../../lib/paths.ts';
import { readHolder } from '../../lib/run-lock.ts';
import { npmStart, ownLabLock, until } from './support.ts';

/** The lab's own network namespaces: one per host. Others on the machine (test:vms's) are not the lab's. */
async function labNamespaces(): Promise<string[]> {
  return (await local`ip netns list`)
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((ns) => hostOfNetns(ns) !== undefined);
}

describe('lab: teardown leaves nothing behind', () => {
  let labPids: string[] = [];

  before(async () => {
    for (const ns of await labNamespaces()) {
      labPids.push(...(await local`ip netns pids ${ns}`).split('\n').filter(Boolean));
    }
    // `lab down` typed in another terminal while `chapter all` runs: it waits for it, says for
    // what, and tears down only afterwards (the chapters never lose their machines under them).
    const lock = ownLabLock('teardown');
    const chapters = npmStart(['chapter', 'all'], lock);
    await until(() => readHolder(lock.WORKBOOK_LAB_LOCK ?? '') !== undefined, 120000, 'chapter all to hold the lab');
    const down = npmStart(['lab', '--', 'down'], lock);
    await until(
      () =>
        /waiting for npm run chapter all \(pid \d+, started \d\d:\d\d\) to finish; Ctrl-C to give up/.test(down.output()) ||
        chapters.output().includes('summary'),
      120000,
      '`lab down` to wait',
    );
    const chaptersCode = await chapters.exited;
    const downCode = await down.exited;
    assert.equal(chaptersCode, 0, `chapter all failed while lab down waited:\n${chapters.output()}`);
    assert.equal(downCode, 0, down.output());
    assert.match(
      down.output(),
      /waiting for npm run chapter all \(pid \d+, started \d\d:\d\d\) to finish; Ctrl-C to give up\n(.|\n)*npm run chapter all has finished: going on\n(.|\n)*lab is down/,
    );
  });

  it('leaves none of its network namespaces', async () => {
    assert.deepEqual(await labNamespaces(), []);
  });

  it('leaves none of the processes the lab ran (postgres, patroni, etcd, haproxy)', async () => {
    assert.ok(labPids.length > 0, 'the lab had no processes before teardown: nothing was tested');
    const alive = [];
    for (const pid of labPids) if ((await local`ps -o comm= -p ${pid}`.catch(() => '')).trim()) alive.push(pid);
    assert.deepEqual(alive, []);
  });

  it('leaves no mount under the lab directory', async () => {
    const mounts = (await local`cat /proc/self/mountinfo`).split('\n').filter((l) => l.includes(LAB_DIR));
    assert.deepEqual(mounts, []);
  });

  it('leaves no lab veth or bridge', async () => {
    assert.doesNotMatch(await local`ip -o link show`, /\bwb-|wbbr0/);
  });

  it('keeps the unreachable safety route for 192.168.56.0/24', async () => {
    assert.match(await local`ip route show type unreachable`, /192\.168\.56\.0\/24/);
  });

  after(() => {
    labPids = [];
  });
});
