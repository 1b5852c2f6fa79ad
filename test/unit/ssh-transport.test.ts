import assert from 'node:assert/strict';
import {
  HostUnreachableError,
  isConnectFailure,
  type SshConfigSource,
  SshTransport,
  sshArgv,
} from '../../lib/ssh/ssh-transport.ts';
import { FakeSsh } from '../support/fake-ssh.ts';

class FakeSource implements SshConfigSource {
  refreshes = 0;
  async file(): Promise<string> {
    return '/dev/null';
  }
  async refresh(): Promise<boolean> {
    this.refreshes++;
    return true;
  }
  unreachableHint(alias: string): string {
    return `try \`vagrant status ${alias}\``;
  }
}

describe('ssh transport (with a stand-in ssh)', () => {
  let ssh: FakeSsh;
  let source: FakeSource;
  let transport: SshTransport;
  const log = () => ssh.log();
  const failTimes = (n: number) => ssh.failTimes(n);

  beforeEach(async () => {
    ssh = await FakeSsh.install();
    source = new FakeSource();
    transport = new SshTransport(source);
  });

  afterEach(() => ssh.remove());

  it('builds one ssh command line: the config file, no prompts, errors shown, no tty', () => {
    assert.deepEqual(sshArgv('/w/.workbook/vagrant/ssh-config', 'node1', 'true', 5), [
      'ssh',
      '-F',
      '/w/.workbook/vagrant/ssh-config',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'LogLevel=ERROR',
      '-T',
      '--',
      'node1',
      'true',
    ]);
  });

  it("tells ssh's own failures from a command that exits 255", () => {
    const failure = (stderr: string) => isConnectFailure({ stdout: '', stderr, exitCode: 255 });
    assert.ok(failure('ssh: connect to host 192.168.121.5 port 22: No route to host\n'));
    assert.ok(failure('ssh: Could not resolve hostname node9: Name or service not known'));
    assert.ok(failure('vagrant@192.168.121.5: Permission denied (publickey).'));
    assert.ok(failure('kex_exchange_identification: read: Connection reset by peer'));
    assert.ok(failure('Connection closed by 192.168.121.5 port 22'));
    assert.ok(failure('mux_client_request_session: read from master failed: Broken pipe'));
    assert.ok(!failure('some program failed'));
    assert.ok(!failure(''));
    assert.ok(!isConnectFailure({ stdout: '', stderr: 'ssh: connect to host x port 22: Connection refused', exitCode: 1 }));
  });

  it('returns what the command returned, 255 included', async () => {
    const result = await transport.run('node1', 'node1', 'echo out; echo err >&2; exit 255', 'x');
    assert.deepEqual(result, { stdout: 'out\n', stderr: 'err\n', exitCode: 255 });
    assert.equal(source.refreshes, 0);
  });

  it('after a failed connection, closes the shared connection, refreshes the config and tries once more', async () => {
    await failTimes(1);
    const result = await transport.run('node1', 'node1', 'echo hello', 'echo hello');
    assert.equal(result.stdout, 'hello\n');
    assert.equal(source.refreshes, 1);
    const calls = (await log()).filter((l) => l.startsWith('begin'));
    assert.equal(calls.length, 3);
    assert.match(calls[1], /-O exit node1$/);
  });

  it('says which machine cannot be reached, why, and what to try', async () => {
    await failTimes(5);
    await assert.rejects(transport.run('node1', 'node1', 'true', 'true'), (e: unknown) => {
      assert.ok(e instanceof HostUnreachableError);
      assert.equal(
        e.message,
        'node1 is not reachable over ssh (ssh: connect to host 192.168.56.11 port 22: Connection refused). try `vagrant status node1`',
      );
      return true;
    });
    assert.equal(source.refreshes, 1, 'one refresh, one retry, then the error');
  });

  it('does not retry when asked not to (probes that must be quick)', async () => {
    await failTimes(1);
    await assert.rejects(transport.run('node1', 'node1', 'true', 'true', { retry: false }), HostUnreachableError);
    assert.equal(source.refreshes, 0);
  });

  it('lets the first command to a machine open the shared connection before the others start', async () => {
    const results = await Promise.all([1, 2, 3].map((i) => transport.run('node1', 'node1', `echo ${i}`, `echo ${i}`)));
    assert.deepEqual(
      results.map((r) => r.stdout),
      ['1\n', '2\n', '3\n'],
    );
    const lines = await log();
    const firstPid = lines[0].split(' ')[1];
    assert.equal(lines[1], `end ${firstPid}`, `the first ssh ran alone:\n${lines.join('\n')}`);
  });

  it('closes the shared connections it opened', async () => {
    await transport.run('node1', 'node1', 'true', 'true');
    await transport.run('node2', 'node2', 'true', 'true');
    await transport.closeAll();
    const exits = (await log()).filter((l) => l.includes('-O exit'));
    assert.deepEqual(exits.map((l) => l.split(' ').at(-1)).sort(), ['node1', 'node2']);
  });
});
