import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { LocalHost } from '../../lib/host/local-host.ts';
import { asRoot, asUser, commandArgv, isSudoRefusal, privilegeFor, remoteCommand } from '../../lib/host/remote-command.ts';
import { shellJoin } from '../../lib/host/shell.ts';
import { enterArgv, LAB_USER, LabHost, labCommandArgv } from '../../lib/lab/lab-host.ts';

const exec = promisify(execFile);
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const TRICKY = `it's "x" $HOME \`id\` \\n ; & | * ~ é`;

describe('remote command lines', () => {
  it('reaches root through sudo unless the ssh user is root', () => {
    assert.equal(privilegeFor('vagrant'), 'sudo');
    assert.equal(privilegeFor('root'), 'root');
    assert.equal(
      remoteCommand('systemctl start patroni', 'sudo'),
      "sudo -n -H -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root USER=root LOGNAME=root bash --norc -c 'cd /; systemctl start patroni'",
    );
    assert.equal(
      remoteCommand('psql -c "select 1"', 'sudo', 'postgres'),
      'sudo -n -H -u postgres -- env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 bash --norc -c \'cd ~ 2>/dev/null || cd /; psql -c "select 1"\'',
    );
    assert.match(remoteCommand('id', 'root'), /^env -i PATH=\S+ LANG=C.UTF-8 HOME=\/root USER=root LOGNAME=root bash --norc -c /);
    assert.match(remoteCommand('id', 'root', 'etcd'), /^env -i PATH=\S+ LANG=C.UTF-8 runuser -u etcd -- bash --norc -c /);
    assert.equal(remoteCommand('id', 'sudo', 'root'), remoteCommand('id', 'sudo'), 'user root is plain root');
  });

  it('one argv for every host: the ssh line is commandArgv joined, the lab enters its namespaces and runs the same argv', async () => {
    for (const [privilege, user] of [
      ['sudo', undefined],
      ['sudo', 'postgres'],
      ['root', undefined],
      ['root', 'etcd'],
    ] as const) {
      assert.equal(remoteCommand(TRICKY, privilege, user), shellJoin(commandArgv(TRICKY, privilege, user)));
    }
    assert.deepEqual(
      labCommandArgv('node1', 'exec', ['psql', '-c', 'select 1'], 'xterm').slice(0, enterArgv('node1').length),
      enterArgv('node1'),
    );
    assert.deepEqual(
      labCommandArgv('node1', 'exec', ['id'], 'dumb').slice(enterArgv('node1').length),
      asRoot('root', ['bash', '--norc', '-c', 'cd / && exec "$@"', 'lab-exec', 'id'], ['TERM=dumb']),
    );
    const shell = await new LabHost({ name: 'node1', address: '192.168.56.11', role: 'postgres', core: true }).loginShell();
    assert.equal(shell.user, LAB_USER);
    const afterEnter = shell.argv.slice(enterArgv('node1').length);
    assert.deepEqual(afterEnter.slice(0, 4), asUser('root', LAB_USER, []).slice(0, 4), 'the clean environment of every host');
    assert.deepEqual(afterEnter.slice(-8), ['runuser', '-u', LAB_USER, '--', 'bash', '--login', '--noediting', '-i']);
  });

  it('refuses a user name that is not one', () => {
    assert.throws(() => remoteCommand('id', 'sudo', 'postgres; rm -rf /'), /not a user name/);
    assert.throws(() => remoteCommand('id', 'root', '-u'), /not a user name/);
  });

  it('survives the remote login shell: the command arrives byte for byte', async function () {
    if (process.getuid?.() !== 0) this.skip();
    // ssh hands the string to the user's shell as `sh -c STRING`: do the same here, as root.
    const command = `printf '%s' '${TRICKY.replaceAll("'", `'\\''`)}'`;
    const direct = await exec('sh', ['-c', remoteCommand(command, 'root')]);
    assert.equal(direct.stdout, TRICKY);
    const hasSudo = await access('/usr/bin/sudo').then(
      () => true,
      () => false,
    );
    if (hasSudo) assert.equal((await exec('sh', ['-c', remoteCommand(command, 'sudo')])).stdout, TRICKY);
  });

  it("runs no ~/.bashrc, though bash reads it without -i when its stdin is a socket, as Node's pipes are", async () => {
    const home = await mkdtemp(`${tmpdir()}/wb-rc-`);
    try {
      await writeFile(`${home}/.bashrc`, `touch ${home}/bashrc-ran\n`);
      const withHome = (argv: string[]) => argv.map((arg) => (arg === 'HOME=/root' ? `HOME=${home}` : arg));
      const run = (argv: string[]) =>
        new Promise((resolve) => spawn(argv[0], argv.slice(1), { stdio: 'pipe' }).on('close', resolve));
      // The same bash without --norc does read it: the mark proves the probe can see it.
      await run(['env', '-i', `HOME=${home}`, 'bash', '-c', 'true']);
      assert.ok(await exists(`${home}/bashrc-ran`), 'bash with a socket for stdin read ~/.bashrc');
      await rm(`${home}/bashrc-ran`);
      await run(withHome(commandArgv('true', 'root')));
      const ownHome = process.env.HOME;
      process.env.HOME = home;
      await new LocalHost().run('true').finally(() => {
        process.env.HOME = ownHome;
      });
      assert.ok(!(await exists(`${home}/bashrc-ran`)), 'a host command ran ~/.bashrc');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('recognises sudo asking for a password', () => {
    assert.ok(isSudoRefusal('sudo: a password is required\n'));
    assert.ok(isSudoRefusal('sudo: a terminal is required to read the password; either use the -S option'));
    assert.ok(!isSudoRefusal('psql: error: connection refused'));
  });
});
