import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostNetns, hostOfNetns } from '../../lib/lab/lab-host.ts';
import { ensureLabNetns, inLabNetns, removeLabNetns } from '../../lib/lab/lab-netns.ts';
import { ROOT } from '../../lib/paths.ts';

/** `npm run lab -- status` as a person types it, with the environment given. */
function labStatus(env: Record<string, string>, prefix: string[] = []): { code: number | null; output: string } {
  const [command, ...args] = [...prefix, 'npm', 'run', '--silent', 'lab', '--', 'status'];
  const run = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe('a second lab in a network namespace of its own (WORKBOOK_LAB_NETNS)', () => {
  it("names its hosts' namespaces after it, and never takes the machine's lab's (or test:vms's) for its own", () => {
    assert.equal(hostNetns('node1', 'wbbyhand'), 'wbbyhand-node1');
    assert.equal(hostNetns('node1', undefined), 'node1');
    assert.equal(hostOfNetns('wbbyhand-haproxynode2', 'wbbyhand'), 'haproxynode2');
    assert.equal(hostOfNetns('node1', 'wbbyhand'), undefined);
    assert.equal(hostOfNetns('wbbyhand-node1', undefined), undefined);
    assert.equal(hostOfNetns('wbvms', undefined), undefined);
    assert.equal(hostOfNetns('wbbyhand-nodeX', 'wbbyhand'), undefined);
  });

  describe('produced for real (root: it makes a network namespace)', () => {
    const netns = `wbunit${process.pid}`;

    before(async function () {
      if (process.getuid?.() !== 0) this.skip();
      await ensureLabNetns(netns);
    });

    after(async () => {
      if (process.getuid?.() === 0) await removeLabNetns(netns);
    });

    it('refuses, in one line, a namespace that does not exist', () => {
      const { code, output } = labStatus({ WORKBOOK_LAB_NETNS: `${netns}x` });
      assert.notEqual(code, 0);
      assert.match(
        output,
        new RegExp(
          `^error: WORKBOOK_LAB_NETNS=${netns}x, but there is no network namespace ${netns}x: make it \\(\`ip netns add ${netns}x\`\\)`,
        ),
      );
      assert.equal(output.split('\n').length, 1, output);
    });

    it('refuses, in one line, to run outside it (192.168.56.0/24 there is the machine’s lab)', () => {
      const { code, output } = labStatus({ WORKBOOK_LAB_NETNS: netns });
      assert.notEqual(code, 0);
      assert.match(
        output,
        new RegExp(
          `^error: WORKBOOK_LAB_NETNS=${netns}, but this runs outside that network namespace: run it as \`nsenter --net=/run/netns/${netns} npm run …\``,
        ),
      );
      assert.equal(output.split('\n').length, 1, output);
    });

    it("refuses, in one line, the machine's lab from inside another network namespace (WORKBOOK_LAB_NETNS unset)", () => {
      const { code, output } = labStatus({}, inLabNetns(netns));
      assert.notEqual(code, 0);
      assert.match(
        output,
        new RegExp(
          `^error: this runs inside network namespace ${netns}, where the machine's lab is not: set WORKBOOK_LAB_NETNS=${netns} if a lab lives there`,
        ),
      );
      assert.equal(output.split('\n').length, 1, output);
    });

    it('refuses the name lab, which is the machine’s lab’s directory and lock', () => {
      const { code, output } = labStatus({ WORKBOOK_LAB_NETNS: 'lab' });
      assert.notEqual(code, 0);
      assert.match(output, /^error: WORKBOOK_LAB_NETNS=lab would share the directory and lock of the machine’s lab/);
    });

    it('inside it, sees its own lab (none yet), not the machine’s', () => {
      const { code, output } = labStatus({ WORKBOOK_LAB_NETNS: netns }, inLabNetns(netns));
      assert.equal(code, 0, output);
      assert.doesNotMatch(output, /WORKBOOK_LAB_NETNS/);
      assert.doesNotMatch(output, /\bup\b.*192\.168\.56\.11/, 'the machine’s node1 seen from inside');
    });
  });
});
