import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CHAPTERS } from '../../lib/chapters/registry.ts';
import { HOST_NAMES } from '../../lib/ip-plan.ts';
import { ROOT } from '../../lib/paths.ts';
import { parseChapterArgs } from '../../lib/runner/args.ts';

const run = promisify(execFile);

async function cli(script: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run('node', ['--import', 'tsx', `${ROOT}/lib/cli/${script}`, ...args], { cwd: ROOT });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('command line', () => {
  it('parses a chapter, all, the target and --catch-up', () => {
    const args = parseChapterArgs(['apply', '7', '--target', 'lab', '--catch-up']);
    assert.deepEqual(
      [args.mode, args.chapters.map((c) => c.number), args.target, args.catchUp, args.all],
      ['apply', [7], 'lab', true, false],
    );
    assert.equal(parseChapterArgs(['check', 'all', '--target=vagrant']).chapters.length, CHAPTERS.length);
  });

  it('rejects an unknown chapter with the valid choices', () => {
    assert.throws(
      () => parseChapterArgs(['apply', '42']),
      new RegExp(`unknown chapter "42": choose one of ${CHAPTERS.map((c) => c.number).join(', ')} or all`),
    );
    assert.throws(() => parseChapterArgs(['apply', 'seven']), /unknown chapter "seven"/);
  });

  it('rejects an unknown target or option', () => {
    assert.throws(
      () => parseChapterArgs(['apply', '1', '--target', 'docker']),
      /unknown target "docker": choose one of lab, vagrant/,
    );
    assert.throws(() => parseChapterArgs(['apply', '1', '--fast']), /unknown option --fast/);
  });

  it('`npm run chapter 42` prints one line listing the chapters, and exits 1', async () => {
    const { code, stderr } = await cli('chapter.ts', 'apply', '42');
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^error: unknown chapter "42": choose one of 1, 2, .*10.* or all$/m);
  });

  it('`npm run lab -- shell nosuchhost` prints one line listing the hosts, and exits 1', async () => {
    const { code, stderr } = await cli('lab.ts', 'shell', 'nosuchhost');
    assert.equal(code, 1);
    assert.equal(stderr.trim(), `error: unknown host "nosuchhost": choose one of ${HOST_NAMES.join(', ')}`);
  });

  it('an unknown lab command shows the usage', async () => {
    const { code, stderr } = await cli('lab.ts', 'explode');
    assert.equal(code, 1);
    assert.match(stderr, /unknown lab command "explode"\. usage: npm run lab -- up .*\| down \| status/);
  });

  it('an option typed without `--` (npm keeps it) stops the run with the command as it should be typed', async function () {
    this.timeout(60000);
    const npm = (...args: string[]) =>
      run('npm', ['run', '--silent', ...args], { cwd: ROOT }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr.trim() }),
      );
    // Without the check, `--target=vagrant` vanished and the run went to the lab.
    for (const [args, fixed] of [
      [['chapter', '7', '--catch-up'], 'npm run chapter 7 -- --catch-up'],
      [['chapter', '1', '--target=vagrant'], 'npm run chapter 1 -- --target vagrant'],
      [['check', '3', '--target', 'vagrant'], 'npm run check 3 -- --target vagrant'],
      [['drill', '--fault', 'crash'], 'npm run drill -- --fault crash'],
    ]) {
      const { code, stderr } = await npm(...args);
      assert.equal(code, 1, stderr);
      assert.match(
        stderr,
        new RegExp(
          `^error: npm kept --[\\w-]+ for itself, so the workbook never saw it: options go after \`--\`, e\\.g\\. \`${(fixed as string).replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\`$`,
        ),
      );
    }
  });
});
