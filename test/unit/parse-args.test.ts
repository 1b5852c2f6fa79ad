import assert from 'node:assert/strict';
import { parseDrillArgs } from '../../lib/drill/options.ts';
import { parseLabArgs } from '../../lib/lab/lab-args.ts';
import { parseCommandLine, TARGET_OPTION, TARGET_USAGE } from '../../lib/parse-args.ts';
import { parseChapterArgs } from '../../lib/runner/args.ts';
import { parseSiteArgs } from '../../lib/site/cli-args.ts';
import { parseRecordArgs } from '../../lib/site/record/record-args.ts';
import { parseTimesArgs } from '../../lib/site/times-args.ts';
import { TARGET_NAMES } from '../../lib/target.ts';
import { parseTargetChoiceArgs } from '../../lib/target-args.ts';
import { UsageError } from '../../lib/usage-error.ts';

/** Each command's parser, given `--target` both ways, and an unknown option. */
const PARSERS: [string, (extra: string[]) => { target?: string }, string[]][] = [
  ['chapter', (extra) => parseChapterArgs(['apply', '7', ...extra]), []],
  ['check', (extra) => parseChapterArgs(['check', 'all', ...extra]), []],
  ['drill', (extra) => parseDrillArgs(['--fault', 'crash', ...extra]), []],
  ['drill --restore', (extra) => parseDrillArgs(['--restore', ...extra]), []],
  ['record', (extra) => parseRecordArgs(['7', ...extra]), []],
];

describe('command lines (node:util parseArgs, lib/parse-args.ts)', () => {
  it('the target usage names every target', () => {
    assert.equal(TARGET_USAGE, `--target ${TARGET_NAMES.join('|')}`);
  });

  for (const [name, parse] of PARSERS) {
    it(`${name}: --target=x and --target x both work, for every target`, () => {
      for (const t of TARGET_NAMES) {
        assert.equal(parse([`--target=${t}`]).target, t);
        assert.equal(parse(['--target', t]).target, t);
      }
    });

    it(`${name}: an unknown option, an unknown target and a missing value are one UsageError line of the same shape`, () => {
      const oneLine = (re: RegExp) => (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n');
      assert.throws(() => parse(['--frobnicate']), oneLine(/^unknown option --frobnicate\. usage: /));
      assert.throws(() => parse(['--target', 'docker']), oneLine(/^unknown target "docker": choose one of lab, vagrant, ssh$/));
      assert.throws(() => parse(['--target']), oneLine(/^--target needs a value\. usage: /));
      assert.throws(() => parse(['--target', '--x']), oneLine(/^--target needs a value\. usage: /));
    });
  }

  it('a flag given a value, and an unexpected argument, are usage errors too', () => {
    assert.throws(() => parseChapterArgs(['apply', '7', '--catch-up=yes']), /--catch-up takes no value\. usage: /);
    assert.throws(
      () => parseChapterArgs(['apply', '7', '8']),
      (e: Error) => e instanceof UsageError,
    );
    assert.throws(() => parseDrillArgs(['--fault', 'crash', 'extra']), /unexpected argument extra\. usage: /);
  });

  it('the site: a chapters folder as the argument or as --chapters, --port as a whole number', () => {
    assert.match(parseSiteArgs(['some/dir']).chaptersDir, /some\/dir$/);
    assert.match(parseSiteArgs(['--chapters=other']).chaptersDir, /other$/);
    assert.equal(parseSiteArgs(['--port', '8080']).port, 8080);
    assert.equal(parseSiteArgs(['--no-search']).search, false);
    assert.throws(() => parseSiteArgs(['--port', 'x']), /--port takes a whole number from 0 to 65535, not "x"$/);
  });

  it('the record: --cols and --rows in range', () => {
    assert.deepEqual([parseRecordArgs(['7', '--cols=120', '--rows', '40']).cols, parseRecordArgs(['7']).rows], [120, 30]);
    assert.throws(() => parseRecordArgs(['7', '--cols', '10']), /--cols takes a whole number from 40 to 300/);
  });

  describe('lab, target and times: declared too, with the same error shape', () => {
    const oneLine = (re: RegExp) => (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n');

    it('lab: up with extra hosts, exec with a command whose options are its own', () => {
      const up = parseLabArgs(['up', 'etcdnode2', 'node1']);
      assert.deepEqual(up.command === 'up' && up.extras.map((h) => h.name), ['etcdnode2']);
      for (const argv of [
        ['exec', 'node1', '--', 'ls', '-l'],
        ['exec', 'node1', 'ls', '-l'],
      ]) {
        const exec = parseLabArgs(argv);
        assert.deepEqual(exec.command === 'exec' && [exec.host.name, exec.args], ['node1', ['ls', '-l']]);
      }
      assert.deepEqual(parseLabArgs(['status']), { command: 'status' });
    });

    it('lab: every mistake is one UsageError line ending in the usage', () => {
      for (const [argv, re] of [
        [['explode'], /^unknown lab command "explode"\. usage: npm run lab -- up/],
        [[], /^no lab command\. usage: /],
        [['up', '--force'], /^unknown option --force\. usage: /],
        [['down', 'now'], /^unexpected argument now\. usage: /],
        [['shell'], /^shell needs a host \(node1, .*\)\. usage: /],
        [['exec', 'node1'], /^exec needs a command after the host\. usage: /],
      ] as const)
        assert.throws(() => parseLabArgs(argv), oneLine(re), argv.join(' '));
    });

    it('target: a name, nothing, or --forget', () => {
      assert.deepEqual(parseTargetChoiceArgs(['vagrant']), { choose: 'vagrant', forget: false });
      assert.deepEqual(parseTargetChoiceArgs([]), { forget: false });
      assert.deepEqual(parseTargetChoiceArgs(['--forget']), { forget: true });
      assert.throws(
        () => parseTargetChoiceArgs(['docker']),
        oneLine(/^unknown target "docker": choose one of lab, vagrant, ssh$/),
      );
      assert.throws(() => parseTargetChoiceArgs(['lab', 'ssh']), oneLine(/^unexpected argument ssh\. usage: npm run target/));
      assert.throws(() => parseTargetChoiceArgs(['--forgot']), oneLine(/^unknown option --forgot\. usage: npm run target/));
    });

    it('times: the schedules named, or none', () => {
      assert.deepEqual(parseTimesArgs([]), []);
      assert.deepEqual(parseTimesArgs(['two-day', 'one-day']), ['two-day', 'one-day']);
      assert.throws(
        () => parseTimesArgs(['three-day']),
        oneLine(/^unknown schedule "three-day": choose one of one-day, two-day\. usage: /),
      );
      assert.throws(() => parseTimesArgs(['--all']), oneLine(/^unknown option --all\. usage: npm run times/));
    });
  });

  it('parseCommandLine returns the declared values', () => {
    const { values, positionals } = parseCommandLine(['a', '--target=ssh'], TARGET_OPTION, 'usage: x');
    assert.deepEqual([values.target, positionals], ['ssh', ['a']]);
  });
});
