import assert from 'node:assert/strict';
import { linePattern, matchSample, screenText } from '../../lib/byhand/match.ts';
import { ChapterFormatError, LOCAL, parseSessions } from '../../lib/byhand/parse.ts';
import { fillPlaceholders, typedBlocks } from '../../lib/byhand/run.ts';
import { BY_HAND_TIMES, byHandTimesFile, withChapterTime } from '../../lib/byhand/times.ts';
import { labCommandArgv } from '../../lib/lab/lab-host.ts';
import type { Secrets } from '../../lib/secrets.ts';
import type { Target } from '../../lib/target.ts';

const chapter = [
  '# 9. Example',
  '',
  '## By hand',
  '',
  '```sh',
  "etcdnode$ sudo tee /etc/default/etcd >/dev/null <<'EOF'",
  'ETCD_NAME="etcdnode"',
  'node1$ not a prompt inside a heredoc',
  'EOF',
  'node1$ sudo apt-get install -y \\',
  '         postgresql-15',
  '$ npm run check 1',
  '  ✔ fine',
  '',
  'node2$ psql -h 127.0.0.1 -c "select 1"   # fails: no password',
  'node2$ read -rs PGPASSWORD   # type <app-password>',
  '```',
  '',
  '<!-- by-hand: skip (opens an interactive shell) -->',
  '```sh',
  '$ npm run lab -- shell node1',
  '```',
  '',
  '<!-- by-hand: only vagrant -->',
  '```sh',
  '$ vagrant up',
  '```',
  '',
  '```sh',
  'ETCD_NAME=x',
  '```',
  '',
  '## What you should see',
  '',
  '```sh',
  'node1$ hostname',
  'node1',
  '```',
  '',
].join('\n');

describe('by hand: the session blocks of a chapter', () => {
  const blocks = parseSessions(chapter, 'chapters/09-example.md');

  it('finds the session blocks with their section, markers and lines; a script is not a session', () => {
    assert.deepEqual(
      blocks.map((b) => [b.line, b.phase, b.skip, b.only]),
      [
        [5, 'by-hand', undefined, undefined],
        [20, 'by-hand', 'opens an interactive shell', undefined],
        [25, 'by-hand', undefined, ['vagrant']],
        [35, 'see', undefined, undefined],
      ],
    );
  });

  it('keeps each command with its host, heredoc or continuation lines, markdown line and sample', () => {
    const [first] = blocks;
    assert.deepEqual(
      first.commands.map((c) => [c.host, c.line, c.text.split('\n').length, c.sample]),
      [
        ['etcdnode', 6, 4, []],
        ['node1', 10, 2, []],
        [LOCAL, 12, 1, ['  ✔ fine']],
        ['node2', 15, 1, []],
        ['node2', 16, 1, []],
      ],
    );
    assert.equal(first.commands[2].sampleLine, 13);
    assert.equal(first.commands[3].fails, 'no password');
    assert.equal(first.commands[4].input, '<app-password>');
  });

  it('types By hand blocks, then What you should see; skips marked blocks and other targets', () => {
    assert.deepEqual(
      typedBlocks(blocks, 'lab', 'by-hand').map((b) => b.line),
      [5],
    );
    assert.deepEqual(
      typedBlocks(blocks, 'vagrant', 'by-hand').map((b) => b.line),
      [5, 25],
    );
    assert.deepEqual(
      typedBlocks(blocks, 'lab', 'see').map((b) => b.line),
      [35],
    );
  });

  it('refuses a skip marker without a reason, and a psql prompt in a typed block', () => {
    assert.throws(() => parseSessions('## By hand\n<!-- by-hand: skip -->\n```sh\n$ ls\n```\n', 'x.md'), ChapterFormatError);
    assert.throws(
      () => parseSessions('## By hand\n```sh\nnode1$ sudo -u postgres psql\npostgres=# \\du\n```\n', 'x.md'),
      /x\.md:4: `postgres=# ` is not a host prompt/,
    );
  });

  it('fills placeholders from the secrets, and leaves unknown ones as typed', () => {
    const secrets = { superuser: 'S3cretsup' } as Secrets;
    assert.equal(fillPlaceholders("psql 'password=<superuser-password>' <other>", secrets), "psql 'password=S3cretsup' <other>");
  });
});

describe('by hand: the tolerant sample matcher', () => {
  it('matches the same text, with loose spaces and table rules', () => {
    assert.equal(matchSample(['a   b', '+-----+---+', '| x | y |'], 'a b\n+--+-----+\n|  x   | y |\n'), undefined);
  });

  it('takes … for any lines, or any text in a line, and <placeholder> for any text', () => {
    assert.equal(matchSample(['start', '…', 'end'], 'start\none\ntwo\nend'), undefined);
    assert.equal(matchSample(['start', '…', 'end'], 'start\nend'), undefined);
    assert.equal(
      matchSample(['HAProxy version … - https://haproxy.org/'], 'HAProxy version 2.6.12-1 2026/10/17 - https://haproxy.org/'),
      undefined,
    );
    assert.equal(matchSample(['password: <superuser-password>'], 'password: ********'), undefined);
  });

  it('matches variable values by class: ids, pids, LSNs, times, durations, versions, members', () => {
    for (const [sample, actual] of [
      ['98cc4b8cce88baaa, started, etcdnode', '1f2e3d4c5b6a7988, started, etcdnode'],
      ['took = 1.734ms', 'took = 12.5ms'],
      ['4 passing (187ms)', '4 passing (2s)'],
      ['lsn 0/3000060 pid 4242', 'lsn 0/5A000148 pid 17'],
      ['2026-12-02 17:13:58.123 UTC', '2027-01-01 00:00:01,5 UTC'],
      ['postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)', 'postgres (PostgreSQL) 15.21 (Debian 15.21-0+deb12u1)'],
      ['| node1 | 192.168.56.11 | Leader |', '| node3 | 192.168.56.13 | Leader |'],
      ['|  1 | 2026-11-25T22:45:06.955176+00:00 | node3 |', '|  1 | 2026-12-03T05:59:01.5+00:00 | node2 |'],
      ['✔ routes port 5000 to the current leader', '✔ routes port 5000 to the current leader (1203ms)'],
    ]) {
      assert.equal(matchSample([sample], actual), undefined, `${sample} ~ ${actual} (${linePattern(sample)})`);
    }
  });

  it('keeps small counts, other addresses and words literal: a stale sample fails where it goes wrong', () => {
    assert.deepEqual(matchSample(['a', '4 passing'], 'a\n5 passing'), { sampleIndex: 1 });
    assert.deepEqual(matchSample(['inet 192.168.56.21/24'], 'inet 192.168.56.31/24'), { sampleIndex: 0 });
    assert.deepEqual(matchSample(['x', '', 'Leader'], 'x\nReplica'), { sampleIndex: 2 });
    assert.deepEqual(matchSample(['x'], 'x\ny'), { sampleIndex: undefined });
    assert.deepEqual(matchSample(['at 2026-11-25T22:45:06+00:00'], 'at 2026-11-25T22:45:06+00:00 and more'), { sampleIndex: 0 });
    assert.deepEqual(matchSample(['✔ fine (1203ms)'], '✔ fine'), { sampleIndex: 0 });
  });

  it('reads the screen: colours and escapes gone, a line overwritten by \\r as it ends', () => {
    assert.equal(screenText('\x1b[32m✔\x1b[0m ok\r\n50%\r100%\n\x1b]0;title\x07x'), '✔ ok\n100%\nx');
    assert.equal(screenText('  30 passing (2s)\n\n⠙\x1b[1G\x1b[0K'), '  30 passing (2s)\n\n');
  });
});

describe('lab exec keeps the argv', () => {
  it('passes the command and its arguments as they are, never re-split by a shell line', () => {
    const argv = labCommandArgv('node1', 'exec', ['psql', '-c', 'select 1']);
    assert.deepEqual(argv.slice(-8), ['bash', '--norc', '-c', 'cd / && exec "$@"', 'lab-exec', 'psql', '-c', 'select 1']);
  });
});

describe('by hand: the site shows the markers', () => {
  it('as a caption: why a block is not typed, where it applies, where it is repeated', async () => {
    const { byHandCaption } = await import('../../lib/site/md-byhand.ts');
    assert.equal(byHandCaption('skip', '(opens a shell)'), 'Shown, not typed by the by-hand test: opens a shell');
    assert.equal(byHandCaption('only', 'lab vagrant'), 'Only on the lab and Vagrant');
    assert.equal(byHandCaption('repeat', 'node2 node3'), 'Then the same on node2 and node3');
  });
});

describe('by hand: what cannot be typed', () => {
  it('an editor fails at once, naming the chapter and line, before any shell opens', async () => {
    const { applyByHand } = await import('../../lib/byhand/run.ts');
    const { chapter } = await import('../../lib/chapters/registry.ts');
    const said: string[] = [];
    const target = { name: 'lab', host: () => assert.fail('no host may be reached') } as unknown as Target;
    const outcome = await applyByHand(chapter(1), target, (l) => said.push(l), {
      markdown: '## By hand\n\n```sh\nnode1$ sudo nano /etc/default/etcd\n```\n',
      echo: () => {},
    });
    assert.equal(outcome.passed, false);
    assert.match(
      said.at(-1) ?? '',
      /^✘ chapter 1, chapters\/01-machines\.md:4: `node1\$ sudo nano \/etc\/default\/etcd` opens nano/,
    );
  });
});

describe('by hand: the login shells', () => {
  it('over ssh: a terminal (-tt) and an interactive login bash, as the ssh user (vagrant, the inventory user)', async () => {
    const { SshTransport } = await import('../../lib/ssh/ssh-transport.ts');
    const { SshHost } = await import('../../lib/ssh/ssh-host.ts');
    const transport = new SshTransport({
      file: async () => '/state/ssh-config',
      refresh: async () => false,
      unreachableHint: () => '',
    });
    const host = new SshHost({ name: 'node1', address: '192.168.56.11' }, transport, { privilege: 'sudo', loginUser: 'vagrant' });
    const shell = await host.loginShell();
    assert.equal(shell.user, 'vagrant');
    assert.deepEqual(shell.argv.slice(0, 3), ['ssh', '-F', '/state/ssh-config']);
    assert.ok(shell.argv.includes('-tt') && !shell.argv.includes('-T'));
    assert.deepEqual(shell.argv.slice(-2), ['node1', 'exec bash --login --noediting -i']);
  });

  it('in the lab: attendee, inside the host, through runuser', async () => {
    const { LabHost } = await import('../../lib/lab/lab-host.ts');
    const shell = await new LabHost({ name: 'node2', address: '192.168.56.12', role: 'postgres', core: true }).loginShell();
    assert.equal(shell.user, 'attendee');
    assert.equal(shell.argv[0], 'nsenter');
    assert.deepEqual(shell.argv.slice(-8), ['runuser', '-u', 'attendee', '--', 'bash', '--login', '--noediting', '-i']);
  });
});

describe('by hand: the command line', () => {
  it('npm run chapter N -- --by-hand, and all; check has no such option', async () => {
    const { parseChapterArgs, CHAPTER_USAGE } = await import('../../lib/runner/args.ts');
    assert.equal(parseChapterArgs(['apply', '5', '--by-hand']).byHand, true);
    assert.equal(parseChapterArgs(['apply', 'all', '--by-hand', '--target', 'lab']).all, true);
    assert.equal(parseChapterArgs(['apply', '5']).byHand, false);
    assert.throws(() => parseChapterArgs(['check', '5', '--by-hand']), /unknown option --by-hand/);
    assert.match(CHAPTER_USAGE, /\[--by-hand\]/);
  });
});

describe('by hand: the measured times', () => {
  const time = { seconds: 12.345, lines: 9, chars: 420 };

  it("puts a chapter's seconds, lines and characters into the record, chapters in order", () => {
    const first = withChapterTime(undefined, 10, time, 'box', new Date('2026-12-03T06:00:00Z'));
    const both = withChapterTime(first, 2, { seconds: 3, lines: 1, chars: 20 }, 'box', new Date('2026-12-04T06:00:00Z'));
    assert.deepEqual(both, {
      date: '2026-12-04',
      machine: 'box',
      chapters: { '2': { seconds: 3, lines: 1, chars: 20 }, '10': { seconds: 12.3, lines: 9, chars: 420 } },
    });
  });

  it('starts afresh on another machine: figures of two machines are never mixed', () => {
    const theirs = withChapterTime(undefined, 1, time, 'laptop');
    assert.deepEqual(Object.keys(withChapterTime(theirs, 2, time, 'box').chapters), ['2']);
  });

  it("keeps another target's figures beside the lab's, which the site reads", () => {
    assert.equal(byHandTimesFile('lab'), BY_HAND_TIMES);
    assert.match(byHandTimesFile('vagrant'), /bench\/results\/by-hand-times-vagrant\.json$/);
  });
});
