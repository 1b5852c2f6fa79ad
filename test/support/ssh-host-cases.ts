import assert from 'node:assert/strict';
import { CommandError } from '../../lib/host/host.ts';
import type { SshHost } from '../../lib/ssh/ssh-host.ts';
import { scaled } from '../../lib/time-scale.ts';

export interface SshHostCase {
  host: SshHost;
  /** The host's name as `hostname` prints it. */
  hostname: string;
  /** A user other than root that exists on the host. */
  user: string;
  /** That user's group. */
  group: string;
  /** A folder on the host the test may fill and remove. */
  scratch: string;
}

const TRICKY = `it's "quoted" $HOME \`date\` \\ back\\slash; semi & amp | pipe\nsecond line é ✓`;

/** What every ssh transport test proves, on whatever sshd it was given. */
export function sshHostCases(label: string, get: () => SshHostCase): void {
  describe(label, () => {
    it('runs a command on the host as root, in / with a clean environment', async () => {
      const { host, hostname } = get();
      const { stdout } = await host.run('hostname; id -un; pwd; echo "$LANG|$HOME|$PATH"');
      assert.deepEqual(stdout.trim().split('\n'), [
        hostname,
        'root',
        '/',
        'C.UTF-8|/root|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ]);
    });

    it('runs a command as another user, like sudo -u', async () => {
      const { host, user } = get();
      const { stdout } = await host.run('id -un; echo "$LANG"', { user });
      assert.deepEqual(stdout.trim().split('\n'), [user, 'C.UTF-8']);
    });

    it('passes command lines and standard input through unchanged', async () => {
      const { host } = get();
      const quoted = TRICKY.replaceAll("'", `'\\''`);
      const { stdout } = await host.run(`printf '%s' '${quoted}'; printf '|'; cat`, { input: `${TRICKY}\n` });
      assert.equal(stdout, `${TRICKY}|${TRICKY}\n`);
    });

    it('reports exit codes, and throws with the host and command when asked to check', async () => {
      const { host } = get();
      assert.equal((await host.run('echo oops >&2; exit 7', { check: false })).exitCode, 7);
      await assert.rejects(host.run('echo oops >&2; exit 7'), (e: unknown) => {
        assert.ok(e instanceof CommandError);
        assert.match(e.message, new RegExp(`^on ${host.name}: .*exited with 7\\n  oops`));
        return true;
      });
    });

    it('writes a file with owner and mode, reads it back, and changes nothing the second time', async () => {
      const { host, user, group, scratch } = get();
      const path = `${scratch}/sub dir/file.conf`;
      const content = `${TRICKY}\nno newline at the end`;
      assert.equal(await host.writeFile(path, content, { owner: user, group, mode: '0640' }), true);
      assert.equal(await host.readFile(path), content);
      const stat = await host.run(`stat -c '%U:%G:%a' '${path}'`);
      assert.equal(stat.stdout.trim(), `${user}:${group}:640`);
      assert.equal(await host.writeFile(path, content, { owner: user, group, mode: '0640' }), false);
      assert.equal(await host.writeFile(path, content, { owner: user, group, mode: '0600' }), true);
      assert.equal((await host.run(`stat -c '%a' '${path}'`)).stdout.trim(), '600');
      assert.equal(await host.readFile(`${scratch}/missing`), undefined);
    });

    it('shares one connection: later commands are quick', async () => {
      const { host } = get();
      await host.run('true');
      const started = process.hrtime.bigint();
      const n = 10;
      for (let i = 0; i < n; i++) await host.run('true');
      const ms = Number(process.hrtime.bigint() - started) / 1e6 / n;
      console.log(`      (${ms.toFixed(0)} ms per command over the shared connection)`);
      // Under QEMU's emulation (test:vms sets WORKBOOK_TIME_SCALE) a command itself takes longer.
      assert.ok(ms < scaled(1000), `${ms} ms per command: connection sharing is not working`);
    });

    it('runs commands in parallel on one host', async () => {
      const { host } = get();
      const outputs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async (i) => (await host.run(`echo ${i}`)).stdout.trim()));
      assert.deepEqual(outputs, ['1', '2', '3', '4', '5', '6', '7', '8']);
    });
  });
}
