import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { applyByHand } from '../../lib/byhand/run.ts';
import { CHAPTERS, chapter, markdownPath } from '../../lib/chapters/registry.ts';
import { labDown } from '../../lib/lab/lab.ts';
import { ROOT } from '../../lib/paths.ts';
import { openTarget, targetStateDir } from '../../lib/target.ts';
import { npmRun } from './support.ts';

/** The chapters that pass by hand: extend it as chapters are made typeable (CONTRIBUTING.md). */
const BY_HAND = CHAPTERS.filter((c) => c.number <= 5);

const machineFile = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path).catch(() => Buffer.from('(absent)')))
    .digest('hex');

/**
 * The cluster a second time, from nothing, as an attendee types it: every by-hand command of
 * chapters 1..K in login shells on the hosts, each check green, every sample matched.
 */
describe('lab: chapters by hand, from nothing', () => {
  const started = Date.now();
  let policyBefore: string;

  before(async () => {
    await labDown(() => {});
    await rm(targetStateDir('lab'), { recursive: true, force: true });
    policyBefore = await machineFile('/usr/sbin/policy-rc.d');
  });

  for (const c of BY_HAND) {
    it(`chapter ${c.number}: typed by hand, check green, every sample matched`, async () => {
      const t0 = Date.now();
      const { code, output } = await npmRun('chapter', String(c.number), '--', '--by-hand');
      assert.equal(code, 0, output.slice(-4000));
      assert.match(output, new RegExp(`✔ chapter ${c.number} done by hand`));
      console.log(`      (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    });
  }

  it('left the machine as it was: policy-rc.d lines and apt-get stayed in the hosts', async () => {
    assert.equal(await machineFile('/usr/sbin/policy-rc.d'), policyBefore);
    console.log(`      (chapters 1–${BY_HAND.at(-1)?.number} by hand: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });

  describe('a broken chapter fails, naming the chapter and the markdown line', () => {
    const five = chapter(5);
    let text: string;
    const lines: string[] = [];
    const say = (line: string) => lines.push(line);

    before(async () => {
      text = await readFile(markdownPath(five), 'utf8');
      lines.length = 0;
    });

    it('a by-hand line without its sudo', async () => {
      const broken = text.replace(/^etcdnode\$ sudo tee \/etc\/default\/etcd/m, 'etcdnode$ tee /etc/default/etcd');
      const line = broken.split('\n').findIndex((l) => l.startsWith('etcdnode$ tee /etc/default/etcd')) + 1;
      const outcome = await applyByHand(five, await openTarget('lab'), say, { markdown: broken, echo: () => {} });
      assert.equal(outcome.passed, false);
      const message = lines.find((l) => l.startsWith('✘')) ?? '';
      console.log(`      ${message.split('\n').slice(0, 2).join('\n      ')}`);
      assert.match(message, new RegExp(`^✘ chapter 5, chapters/05-configure-etcd\\.md:${line}: .*exited with 1`));
      assert.match(message, /Permission denied/);
    });

    it('a stale sample', async () => {
      lines.length = 0;
      const broken = text.replace('{"health":"true"}', '{"health":"false"}');
      const line = broken.split('\n').indexOf('{"health":"false"}') + 1;
      const outcome = await applyByHand(five, await openTarget('lab'), say, {
        markdown: broken,
        echo: () => {},
        skipCheck: true,
      });
      assert.equal(outcome.passed, false);
      const message = lines.find((l) => l.startsWith('✘')) ?? '';
      console.log(`      ${message.split('\n').slice(0, 2).join('\n      ')}`);
      assert.match(
        message,
        new RegExp(`^✘ chapter 5, .*: the sample under .* is stale: sample line chapters/05-configure-etcd\\.md:${line} `),
      );
    });
  });

  it('lab exec keeps the argv', async () => {
    const { code, output } = await npmRun('lab', '--', 'exec', 'node1', '--', 'printf', '[%s]', 'select 1', '-c');
    assert.equal(code, 0, output);
    assert.match(output, /\[select 1\]\[-c\]/);
  });

  it('a lab host sees the checkout read-only at its own path', async () => {
    const { output } = await npmRun(
      'lab',
      '--',
      'exec',
      'node1',
      '--',
      'bash',
      '-c',
      `test -r ${ROOT}/package.json && touch ${ROOT}/.x 2>&1; echo "rc=$?"`,
    );
    assert.match(output, /Read-only file system/);
  });
});
