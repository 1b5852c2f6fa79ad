import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../lib/paths.ts';

/**
 * Wrong environments, each produced for real and run as a person types the command (`npm run …`):
 * a real ordinary user (setpriv to nobody, uid 65534), real file modes, a PATH without vagrant,
 * the real vagrant with a provider that is not installed. Each must answer in one or two lines:
 * what is wrong, and the command that fixes it; never a stack trace, never advice that destroys
 * data unless the data is really unusable. The rows that need a lab are in test/lab/90-wrong-environment.test.ts.
 *
 * Every run gets a state folder of its own (WORKBOOK_STATE_DIR) and VAGRANT_DEFAULT_PROVIDER=virtualbox
 * (not installed here), so that no row can ever start a VM.
 */
interface Row {
  case: string;
  user: 'root' | 'nobody';
  /** Prepares the state folder (and anything else) for the row. */
  setup?: (state: string) => void;
  npm: string[];
  env?: (state: string) => Record<string, string>;
  expect: RegExp;
}

const NOBODY = 65534;
const produced: { case: string; command: string; message: string }[] = [];

function secretsOf(state: string, target: string, content: string, owner = 0, mode = 0o600): void {
  mkdirSync(`${state}/${target}`, { recursive: true });
  writeFileSync(`${state}/${target}/secrets.json`, content, { mode });
  chownSync(`${state}/${target}/secrets.json`, owner, owner);
}

/** A bin folder with node and npm only: this machine's PATH without vagrant (which lives in /usr/bin with node). */
function pathWithoutVagrant(state: string): string {
  const bin = `${state}/bin`;
  mkdirSync(bin, { recursive: true });
  for (const tool of ['node', 'npm', 'sh']) {
    const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(where, `${bin}/${tool}`);
  }
  return bin;
}

const ROWS: Row[] = [
  {
    case: 'not root, on the lab',
    user: 'nobody',
    npm: ['chapter', '5'],
    expect:
      /^error: the lab needs root \(it makes namespaces, a bridge and mounts\) and this runs as nobody \(uid 65534\): run `sudo npm run chapter 5` \(or choose VMs: `npm run target -- vagrant`\)$/,
  },
  {
    case: 'not root, checking the lab',
    user: 'nobody',
    npm: ['check', '7'],
    expect: /^error: the lab needs root .* run `sudo npm run check 7`/,
  },
  {
    case: 'secrets unreadable (made by an earlier run as root), not corrupt',
    user: 'nobody',
    setup: (state) => {
      secretsOf(state, 'vagrant', '{"superuser":"x"}\n');
      chownSync(`${state}/vagrant`, NOBODY, NOBODY);
    },
    npm: ['chapter', '1', '--', '--target', 'vagrant'],
    expect:
      /^error: .*\/vagrant\/secrets\.json cannot be read by nobody \(uid 65534\): it belongs to root, mode 0600\. Run the command with sudo, as the earlier runs were, or make the workbook's state yours: `sudo chown -R \$\(id -un\) .*`$/,
  },
  {
    case: "the workbook's state folder belongs to root",
    user: 'nobody',
    setup: (state) => {
      mkdirSync(`${state}/vagrant`, { recursive: true, mode: 0o700 });
      chmodSync(`${state}/vagrant`, 0o700);
    },
    npm: ['chapter', '1', '--', '--target', 'vagrant'],
    expect:
      /^error: .*\/vagrant\/run\.lock cannot be written by nobody \(uid 65534\): .*vagrant belongs to root, mode 0700\. Run the command with sudo/,
  },
  {
    case: 'secrets corrupt: only then the delete advice, saying what is lost',
    user: 'root',
    setup: (state) => secretsOf(state, 'vagrant', '{ "superuser": "abc",'),
    npm: ['chapter', '1', '--', '--target', 'vagrant'],
    expect:
      /^error: .*\/vagrant\/secrets\.json is damaged \(not the JSON the workbook writes: .*\)\. Repair it by hand if you can: it holds the passwords of the running cluster\.\n {2}Deleting it loses them all \(superuser, replication, rewind, app, restapi, haproxyStats, vrrp\): the cluster must then be rebuilt with `vagrant destroy -f` \(or fresh servers\), then `npm run chapter all -- --target vagrant`\.$/,
  },
  {
    case: 'vagrant missing',
    user: 'root',
    npm: ['check', '2', '--', '--target', 'vagrant'],
    env: (state) => ({ PATH: pathWithoutVagrant(state) }),
    expect:
      /^error: vagrant is not installed \(no `vagrant` on PATH\)\. Install Vagrant \(Debian\/Ubuntu: `sudo apt-get install vagrant`.*`--target lab`\.$/,
  },
  {
    case: '--target vagrant without a provider (the real vagrant; VirtualBox not installed)',
    user: 'root',
    npm: ['chapter', '1', '--', '--target', 'vagrant'],
    env: (state) => ({ VAGRANT_DOTFILE_PATH: `${state}/dot-vagrant` }),
    expect:
      /^error: vagrant has no provider to run the VMs with \(vagrant says: Vagrant could not detect VirtualBox! .*\)\. Install VirtualBox, or on Linux libvirt: `sudo apt-get install vagrant-libvirt libvirt-daemon-system` and `export VAGRANT_DEFAULT_PROVIDER=libvirt`\.\n {2}Without VMs, the embedded lab needs none of this: `npm run target -- lab` \(as root\)\.$/,
  },
  {
    case: 'one VM halted (vagrant halt node2), then a chapter',
    user: 'root',
    npm: ['chapter', '5', '--', '--target', 'vagrant'],
    env: () => ({
      PATH: `${ROOT}/test/support/fake-vagrant-bin:${process.env.PATH}`,
      FAKE_VAGRANT_STATES: 'node1=running node2=poweroff node3=running etcdnode=running haproxynode=running',
    }),
    expect:
      /^error: the VMs are not up \(node2 is poweroff\)\. Start them with `vagrant up node2` in \/.* \(or `npm run chapter 1 -- --target vagrant`\), then try again\.$/,
  },
  {
    case: 'no target chosen, but the secrets of a vagrant cluster are here (a forgotten --target)',
    user: 'root',
    setup: (state) => secretsOf(state, 'vagrant', '{}'),
    npm: ['check', '1'],
    env: () => ({ WORKBOOK_TARGET: '' }),
    expect:
      /^error: no target is chosen, so this would run on the lab, but \.workbook\/vagrant\/ holds the secrets of your vagrant cluster\.\n {2}Choose once for the whole workshop: `npm run target -- vagrant` \(or `npm run target -- lab`\), or add `-- --target vagrant` to this command\.$/,
  },
  {
    case: 'a hint asked for while no exercise runs',
    user: 'root',
    npm: ['exercise', '--', 'hint', 'etcd-down'],
    env: () => ({ WORKBOOK_TARGET: 'lab' }),
    expect: /^error: no exercise is running: `npm run exercise -- list`, then `start <name>`$/,
  },
  {
    case: 'the state file of the running exercise is damaged',
    user: 'root',
    setup: (state) => {
      mkdirSync(`${state}/lab`, { recursive: true });
      writeFileSync(`${state}/lab/exercise.json`, '{', { mode: 0o600 });
    },
    npm: ['exercise', '--', 'status'],
    env: () => ({ WORKBOOK_TARGET: 'lab' }),
    expect: /^error: \/.*\/lab\/exercise\.json is not readable JSON: delete it, then check the cluster with `npm run check all`$/,
  },
];

function npmRun(row: Row, state: string, home: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WORKBOOK_STATE_DIR: state,
    HOME: home,
    npm_config_cache: `${home}/.npm`,
    npm_config_update_notifier: 'false',
    VAGRANT_DEFAULT_PROVIDER: 'virtualbox',
    VAGRANT_CHECKPOINT_DISABLE: '1',
  };
  for (const k of ['WORKBOOK_LOCK_HELD', 'WORKBOOK_TARGET']) delete env[k];
  Object.assign(env, row.env?.(state));
  const npm = ['npm', 'run', '--silent', ...row.npm];
  const argv = row.user === 'nobody' ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...npm] : npm;
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('wrong environments: one or two lines, what is wrong and the command that fixes it (produced for real)', function () {
  this.timeout(60000);
  let state: string;
  let home: string;

  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // setpriv to another user and root-owned files need root
  });
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'workbook-wrong-env-'));
    home = mkdtempSync(join(tmpdir(), 'workbook-wrong-env-home-'));
    for (const dir of [state, home]) chownSync(dir, NOBODY, NOBODY);
  });
  afterEach(() => {
    rmSync(state, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });
  after(() => {
    if (produced.length === 0) return;
    console.log('\n      the table, as produced:');
    for (const row of produced)
      console.log(`      | ${row.case} | \`${row.command}\` | ${row.message.replaceAll('\n', ' ⏎ ')} |`);
  });

  for (const row of ROWS) {
    it(row.case, async () => {
      row.setup?.(state);
      const { code, output } = await npmRun(row, state, home);
      // The message: from the line that starts with "error:" to the end (progress lines before it are fine).
      const message = output.slice(Math.max(0, output.search(/^error: /m))).trim();
      produced.push({
        case: row.case,
        command: `${row.user === 'nobody' ? '(as nobody) ' : ''}npm run ${row.npm.join(' ')}`,
        message,
      });
      assert.equal(code, 1, output);
      assert.ok(message.split('\n').length <= 2, `more than two lines:\n${output}`);
      assert.doesNotMatch(output, /^\s+at /m, 'a stack trace was printed');
      assert.match(message, row.expect);
    });
  }
});
