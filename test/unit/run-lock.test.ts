import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../../lib/clients/wait.ts';
import { commandLine } from '../../lib/command-line.ts';
import { ROOT } from '../../lib/paths.ts';
import { describeHolder, isAlive, type LockHolder, readHolder } from '../../lib/run-lock.ts';

/**
 * The run lock, with real processes: test/support/lock-holder.ts takes it as every command
 * does (holdRunLock), in a state folder of its own (WORKBOOK_STATE_DIR), on the vagrant target's
 * lock so that no root is needed. The lab's lock is the same code with another file.
 */
const HOLDER = `${ROOT}/test/support/lock-holder.ts`;

interface Run {
  child: ChildProcess;
  out: string;
  err: string;
  exited: Promise<number | null>;
}

describe('one run at a time (lib/run-lock.ts)', function () {
  this.timeout(90000);
  let state: string;
  let lockFile: string;
  const env = (extra: Record<string, string> = {}) => {
    const e: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_STATE_DIR: state };
    delete e.WORKBOOK_LOCK_HELD;
    delete e.WORKBOOK_LOCK_WAIT;
    delete e.npm_lifecycle_event;
    return { ...e, ...extra };
  };
  const start = (args: string[], extra: Record<string, string> = {}): Run => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, 'vagrant', ...args], { env: env(extra), cwd: ROOT });
    const run: Run = { child, out: '', err: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      run.out += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      run.err += d;
    });
    return run;
  };
  const until = async (what: () => boolean, ms = 60000) => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(25);
    }
  };
  /** A pid that existed and has ended. */
  const deadPid = () => spawnSync('true').pid as number;

  let release: string;
  /** Hold until release() (a fixed time is not enough on a loaded machine: a run may take seconds to start). */
  let hold: string;
  const letGo = () => writeFileSync(release, '');
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'workbook-lock-'));
    lockFile = `${state}/vagrant/run.lock`;
    release = `${state}/release`;
    hold = `until:${release}`;
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('a second run waits, saying for what, then goes on when the first has finished', async () => {
    const first = start([hold], { LOCK_TEST_COMMAND: 'npm run drill' });
    await until(() => first.out.startsWith('taken'));
    const second = start(['0'], { LOCK_TEST_COMMAND: 'npm run chapter 10' });
    await until(() => second.err.includes('waiting for'));
    await sleep(300);
    const holder = readHolder(lockFile);
    assert.ok(holder);
    assert.match(describeHolder(holder), new RegExp(`^npm run drill \\(pid ${first.child.pid}, started \\d\\d:\\d\\d\\)$`));
    assert.equal(second.err.trim(), `waiting for ${describeHolder(holder)} to finish; Ctrl-C to give up`);
    assert.equal(second.out, '', 'the second run went on while the first held the lock');
    letGo();
    assert.equal(await first.exited, 0);
    assert.equal(await second.exited, 0);
    assert.match(second.out, /^taken /);
    assert.match(second.err, /npm run drill has finished: going on/);
    assert.equal(existsSync(lockFile), false, 'the lock file stays after both runs ended');
  });

  it('records pid, its start time, the command line and when it started', async () => {
    const run = start([hold], { LOCK_TEST_COMMAND: 'npm run check 5' });
    await until(() => run.out.startsWith('taken'));
    const holder = readHolder(lockFile);
    assert.ok(holder);
    assert.equal(holder.pid, run.child.pid);
    assert.equal(holder.command, 'npm run check 5');
    assert.ok(holder.pidStart && /^\d+$/.test(holder.pidStart));
    assert.ok(Math.abs(Date.parse(holder.started) - Date.now()) < 30000);
    letGo();
    await run.exited;
  });

  it('WORKBOOK_LOCK_WAIT=no refuses at once, in one line, naming the run that holds it', async () => {
    const first = start([hold], { LOCK_TEST_COMMAND: 'npm run drill -- --fault crash' });
    await until(() => first.out.startsWith('taken'));
    const second = start(['0'], { WORKBOOK_LOCK_WAIT: 'no' });
    assert.equal(await second.exited, 1);
    assert.match(
      second.err,
      new RegExp(
        `^error: npm run drill -- --fault crash \\(pid ${first.child.pid}, started \\d\\d:\\d\\d\\) is using the vagrant: one run at a time\\. Wait for it to finish, then run this again\\n$`,
      ),
    );
    letGo();
    await first.exited;
  });

  it('a lock left by a process that died is taken over, saying so', async () => {
    mkdirSync(`${state}/vagrant`, { recursive: true });
    const dead: LockHolder = { pid: deadPid(), command: 'npm run chapter 7', started: new Date().toISOString() };
    writeFileSync(lockFile, JSON.stringify(dead));
    const run = start(['0']);
    assert.equal(await run.exited, 0);
    assert.match(run.out, /^taken /);
    assert.equal(
      run.err.trim(),
      `taking over the vagrant lock of ${describeHolder(dead)}: that process ended without releasing it`,
    );
  });

  it('a reused pid is not mistaken for the holder: the start time differs', () => {
    assert.equal(isAlive({ pid: process.pid, command: 'x', started: '' }), true);
    assert.equal(isAlive({ pid: process.pid, pidStart: '1', command: 'x', started: '' }), false);
  });

  it('Ctrl-C releases it; kill -9 leaves it, and the next run takes it over', async () => {
    const interrupted = start([hold]);
    await until(() => interrupted.out.startsWith('taken'));
    interrupted.child.kill('SIGINT');
    assert.equal(await interrupted.exited, 130);
    assert.equal(existsSync(lockFile), false, 'Ctrl-C left the lock behind');

    const killed = start([hold], { LOCK_TEST_COMMAND: 'npm run chapter all' });
    await until(() => killed.out.startsWith('taken'));
    killed.child.kill('SIGKILL');
    await killed.exited;
    assert.equal(readHolder(lockFile)?.pid, killed.child.pid);
    const next = start(['0']);
    assert.equal(await next.exited, 0);
    assert.match(next.err, /taking over the vagrant lock of npm run chapter all \(pid \d+, .*\): that process ended/);
  });

  it('Ctrl-C while waiting gives up, changes nothing, and leaves the holder alone', async () => {
    const first = start([hold]);
    await until(() => first.out.startsWith('taken'));
    const second = start(['0']);
    await until(() => second.err.includes('waiting for'));
    second.child.kill('SIGINT');
    assert.equal(await second.exited, 130);
    assert.match(second.err, /gave up waiting: nothing was changed/);
    assert.equal(readHolder(lockFile)?.pid, first.child.pid);
    letGo();
    await first.exited;
  });

  it('is inherited by the processes a holder starts (WORKBOOK_LOCK_HELD), and by descendants without it (sudo drops it)', async () => {
    const withEnv = start(['0', '--child']);
    assert.equal(await withEnv.exited, 0);
    assert.match(withEnv.out, /^taken \d+\nchild: inherited \d+/);
    const withoutEnv = start(['0', '--child', '--no-env']);
    assert.equal(await withoutEnv.exited, 0);
    assert.match(withoutEnv.out, /^taken \d+\nchild: inherited \d+/);
  });

  it('a stale WORKBOOK_LOCK_HELD (its holder gone) does not let a run skip the lock', async () => {
    const first = start([hold]);
    await until(() => first.out.startsWith('taken'));
    const stray = start(['0'], { WORKBOOK_LOCK_HELD: `vagrant=${deadPid()}` });
    await until(() => stray.err.includes('waiting for'));
    letGo();
    await first.exited;
    assert.equal(await stray.exited, 0);
  });

  it('six runs at once on a dead lock: exactly one holds it at any time', async () => {
    mkdirSync(`${state}/vagrant`, { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), command: 'npm run drill', started: new Date().toISOString() }));
    const log = `${state}/log`;
    const runs = Array.from({ length: 6 }, () => start(['150', '--log', log]));
    for (const run of runs) assert.equal(await run.exited, 0, run.err);
    const events = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(events.length, 12);
    for (let i = 0; i < events.length; i += 2) {
      const [enter, leave] = [events[i].split(' '), events[i + 1].split(' ')];
      assert.deepEqual(
        [enter[0], leave[0], enter[1]],
        ['enter', 'leave', leave[1]],
        `two holders overlapped:\n${events.join('\n')}`,
      );
    }
    assert.equal(runs.filter((r) => r.err.includes('taking over')).length, 1, 'more than one run took over the dead lock');
  });

  it('names the command as it was typed', () => {
    const npm = (event: string, script: string, ...args: string[]) =>
      commandLine(['node', 'x.ts', ...args], { npm_lifecycle_event: event, npm_lifecycle_script: script });
    assert.equal(npm('chapter', 'tsx lib/cli/chapter.ts apply', 'apply', '10'), 'npm run chapter 10');
    assert.equal(npm('check', 'tsx lib/cli/chapter.ts check', 'check', 'all'), 'npm run check all');
    assert.equal(npm('lab', 'tsx lib/cli/lab.ts', 'down'), 'npm run lab down');
    assert.equal(npm('drill', 'tsx lib/cli/drill.ts', '--fault', 'crash'), 'npm run drill -- --fault crash');
    assert.equal(commandLine(['node', '/x/lib/cli/chapter.ts', 'apply', '3'], {}), 'chapter.ts apply 3');
  });
});
