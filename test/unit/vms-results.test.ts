import assert from 'node:assert/strict';
import { scaled, timeScale } from '../../lib/time-scale.ts';
import { chapterSummary, Phases } from '../../lib/vms/phases.ts';
import { markdown, type VmsRunRecord } from '../../lib/vms/results.ts';

describe('test:vms: one time factor, the phase table and the record', () => {
  it('WORKBOOK_TIME_SCALE: 1 by default, a number from 1 to 100 otherwise', () => {
    assert.equal(timeScale({}), 1);
    assert.equal(timeScale({ WORKBOOK_TIME_SCALE: '6' }), 6);
    assert.equal(scaled(20000, { WORKBOOK_TIME_SCALE: '2.5' }), 50000);
    assert.throws(() => timeScale({ WORKBOOK_TIME_SCALE: 'slow' }), /WORKBOOK_TIME_SCALE must be a number from 1 to 100/);
    assert.throws(() => timeScale({ WORKBOOK_TIME_SCALE: '0.5' }), /from 1 to 100/);
  });

  it("reads each chapter's time from `chapter all`'s summary", () => {
    const output = `summary
  ✔  1 Prepare the machines           5 changes   12.3 s
  ✔ 10 Failover test                  0 changes  301.0 s
  ✘ 11 Three etcd members            2 changes    9.9 s
  2 of 16 chapters done`;
    assert.deepEqual(chapterSummary(output), [
      { ok: true, number: 1, title: 'Prepare the machines', changes: 5, seconds: 12.3 },
      { ok: true, number: 10, title: 'Failover test', changes: 0, seconds: 301 },
      { ok: false, number: 11, title: 'Three etcd members', changes: 2, seconds: 9.9 },
    ]);
  });

  it('the table lists phases, their parts indented and not summed, and a markdown record', async () => {
    const phases = new Phases(() => {});
    await phases.run('boot', async () => {});
    phases.part('chapter 1: Prepare', 12.5, true, '5 changes');
    phases.skip('box', '--from up');
    await assert.rejects(
      phases.run('chapters', async () => {
        throw new Error('chapter 7 failed');
      }),
    );
    const table = phases.table();
    assert.match(table, /✔ {3}chapter 1: Prepare +12\.5 s {2}\(5 changes\)/);
    assert.match(table, /✘ chapters/);
    const record: VmsRunRecord = {
      date: '2026-12-02T18:00:00.000Z',
      command: 'npm run test:vms',
      passed: false,
      furthest: 'chapters',
      accelerator: 'tcg',
      acceleratorWhy: 'no usable /dev/kvm',
      timeScale: 6,
      machine: { cpu: 'CPU', cores: 2, memoryGiB: 24, kernel: '6.1', hostname: 'h' },
      commit: 'abc',
      aptProxy: { requests: 10, megabytes: 1.5, refused: 0 },
      phases: phases.done,
      notes: [],
    };
    const md = markdown(record);
    assert.match(md, /^# test:vms, 2026-12-02: stopped at: chapters/);
    assert.match(md, /apt proxy \(what the VMs downloaded\): 10 requests, 1\.5 MB/);
    assert.match(md, /\| ✘ \| chapters \| [\d.]+ \| chapter 7 failed \|/);
  });
});

describe('test:vms: the VMs behind the lab on the CPU', () => {
  it("never changes the autogroup of test:vms's own session (the user's shell)", async () => {
    const { niceAutogroups } = await import('../../lib/vms/autogroup.ts');
    assert.equal(await niceAutogroups([process.pid]), 0);
  });
});

describe("test:vms: each chapter's time, even when the run stops in one", () => {
  it('follows the chapter output as it comes, in pieces', async () => {
    const { ChapterTracker } = await import('../../lib/vms/phases.ts');
    let now = 1000;
    const tracker = new ChapterTracker(() => now);
    tracker.feed('target: vagrant\n\n▶ chapter 1: Prepare the machines  (target: vag');
    tracker.feed('rant)\n   +0.1s bringing up\n✔ chapter 1 done in 12.5 s\n');
    now = 2000;
    tracker.feed('\n▶ chapter 2: Set up the PostgreSQL nodes  (target: vagrant)\n');
    now = 5000;
    tracker.feed('✘ chapter 2: the check failed. Read the messages above\n▶ chapter 3: Set up etcd  (target: vagrant)\n');
    now = 65000;
    assert.deepEqual(tracker.rows(), [
      { number: 1, title: 'Prepare the machines', ok: true, seconds: 12.5 },
      { number: 2, title: 'Set up the PostgreSQL nodes', ok: false, seconds: 3 },
      { number: 3, title: 'Set up etcd', ok: false, seconds: 60, unfinished: true },
    ]);
  });
});

describe('test:vms --by-hand: which chapters are typed', () => {
  it('parses --by-hand[=N] beside --from chapter:N, and refuses it where no chapter runs', async () => {
    const { parseTestVmsArgs, TEST_VMS_USAGE } = await import('../../lib/vms/options.ts');
    assert.equal(parseTestVmsArgs(['--keep']).byHandFrom, undefined);
    assert.equal(parseTestVmsArgs(['--by-hand']).byHandFrom, 1);
    assert.deepEqual(parseTestVmsArgs(['--from', 'chapter:7', '--by-hand=5', '--keep']), {
      keep: true,
      down: false,
      boxOnly: false,
      rebuildBox: false,
      from: 'chapters',
      fromChapter: 7,
      byHandFrom: 5,
    });
    assert.throws(() => parseTestVmsArgs(['--by-hand=0']), /usage: npm run test:vms/);
    assert.throws(() => parseTestVmsArgs(['--by-hand=x']), /usage: npm run test:vms/);
    assert.throws(() => parseTestVmsArgs(['--down', '--by-hand']), /not with --box-only, --down/);
    assert.throws(() => parseTestVmsArgs(['--from', 'nowhere']), /usage/);
    assert.equal(parseTestVmsArgs(['--from=up']).from, 'up', '--name=value works as everywhere');
    assert.throws(() => parseTestVmsArgs(['--kep']), /^Error: unknown option --kep\. usage: npm run test:vms/);
    assert.match(TEST_VMS_USAGE, /\[--by-hand\[=N\]\]/);
  });

  it('runs the chapters before N by their steps, those from N on by hand, from --from on', async () => {
    const { chapterRuns, ranges } = await import('../../lib/vms/options.ts');
    const all = [1, 2, 3, 4, 5, 6];
    assert.deepEqual(
      chapterRuns(all, undefined, 5).map((r) => `${r.number}${r.byHand ? 'h' : ''}`),
      ['1', '2', '3', '4', '5h', '6h'],
    );
    assert.deepEqual(
      chapterRuns(all, 6, 5).map((r) => `${r.number}${r.byHand ? 'h' : ''}`),
      ['6h'],
    );
    assert.deepEqual(
      chapterRuns(all, 3).map((r) => r.byHand),
      [false, false, false, false],
    );
    assert.equal(ranges([5, 6, 7, 9, 11, 12]), '5-7, 9, 11-12');
  });

  it('follows by-hand chapters: their start, their end, a typed line that failed', async () => {
    const { ChapterTracker } = await import('../../lib/vms/phases.ts');
    let now = 0;
    const tracker = new ChapterTracker(() => now);
    tracker.feed('▶ chapter 5: Set up etcd  (target: vagrant, by hand)\n');
    tracker.feed('✔ chapter 5 done by hand in 40.5 s (9 typed, check green, 2 sample command(s) matched)\n');
    tracker.feed('▶ chapter 6: Configure Patroni  (target: vagrant, by hand)\n');
    now = 7000;
    tracker.feed('✘ chapter 6, chapters/06-configure-patroni.md:42: `node1$ sudo true` exited with 1; the host answered:\n');
    assert.deepEqual(tracker.rows(), [
      { number: 5, title: 'Set up etcd', ok: true, seconds: 40.5, byHand: true },
      { number: 6, title: 'Configure Patroni', ok: false, seconds: 7, byHand: true },
    ]);
  });

  it('the record names the typed chapters', () => {
    const record: VmsRunRecord = {
      date: '2026-12-03T10:00:00.000Z',
      command: 'npm run test:vms -- --by-hand=5',
      passed: true,
      furthest: 'the end',
      accelerator: 'tcg',
      acceleratorWhy: 'x',
      timeScale: 6,
      machine: { cpu: 'CPU', cores: 2, memoryGiB: 24, kernel: '6.1', hostname: 'h' },
      commit: 'abc',
      phases: [],
      notes: [],
      typedByHand: '5-8',
    };
    assert.match(markdown(record), /chapters typed by hand \(`npm run chapter N -- --by-hand`\): 5-8;/);
    assert.match(markdown({ ...record, typedByHand: undefined }), /chapters: by their steps \(no --by-hand\)/);
  });
});

describe('test:vms: a SIGTERM ends the whole command under way', () => {
  it('finds the processes under a process, grandchildren included, and ends them all', async () => {
    const { spawn } = await import('node:child_process');
    const { descendants, terminateTree } = await import('../../lib/vms/process-tree.ts');
    // sh starts a shell that starts sleep: npm, its script's shell, the chapter.
    const child = spawn('sh', ['-c', "sh -c 'sleep 30; true' & wait"], { stdio: 'ignore' });
    const pid = child.pid as number;
    let found: number[] = [];
    for (let i = 0; i < 50 && found.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      found = descendants(pid);
    }
    assert.equal(found.length, 2, `the shell and its sleep under ${pid}: ${found}`);
    const exited = new Promise((r) => child.once('exit', r));
    terminateTree(pid);
    await exited;
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie that waits for whichever process reaps orphans here.
    const { readFileSync } = await import('node:fs');
    const state = (p: number) => {
      try {
        return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.[0];
      } catch {
        return 'gone';
      }
    };
    for (const p of found) assert.match(state(p) ?? '', /^(gone|Z|X)$/, `process ${p} still runs`);
  });
});
