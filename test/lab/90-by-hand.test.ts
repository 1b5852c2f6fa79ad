import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { applyByHand } from '../../lib/byhand/run.ts';
import { CHAPTERS, chapter, markdownPath } from '../../lib/chapters/registry.ts';
import { waitHaproxyOn, waitHealthy } from '../../lib/cluster/health.ts';
import { labDown } from '../../lib/lab/lab.ts';
import { ROOT } from '../../lib/paths.ts';
import { loadSecrets } from '../../lib/secrets.ts';
import { openTarget, targetStateDir } from '../../lib/target.ts';
import { npmRun } from './support.ts';

const machineFile = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path).catch(() => Buffer.from('(absent)')))
    .digest('hex');

/**
 * The cluster a second time, from nothing, as an attendee types it: one
 * `npm run chapter all -- --by-hand`, every by-hand command of chapters 1–16 in login shells on
 * the hosts, each check green, every sample matched, and the same healthy cluster at the end.
 */
describe('lab: every chapter by hand, from nothing', () => {
  let policyBefore: string;

  before(async () => {
    await labDown(() => {});
    await rm(targetStateDir('lab'), { recursive: true, force: true });
    policyBefore = await machineFile('/usr/sbin/policy-rc.d');
  });

  it(`chapters 1–${CHAPTERS.length} typed by hand in one run: every check green, every sample matched`, async function () {
    // About 10 minutes on a busy 2-core machine; the per-test bound of the lab suite is 5.
    this.timeout(40 * 60_000);
    const started = Date.now();
    const { code, output } = await npmRun('chapter', 'all', '--', '--by-hand');
    const done = [...output.matchAll(/^✔ chapter (\d+) done by hand in ([\d.]+) s/gm)];
    for (const [, n, seconds] of done) console.log(`      chapter ${n}: ${seconds} s`);
    console.log(`      (all chapters by hand: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    assert.equal(code, 0, output.slice(-6000));
    assert.deepEqual(
      done.map((m) => Number(m[1])),
      CHAPTERS.map((c) => c.number),
    );
    assert.match(output, new RegExp(`${CHAPTERS.length} of ${CHAPTERS.length} chapters done`));
  });

  it('ends with a healthy cluster, as the step path does: one leader, every replica streaming, port 5000 on the leader', async () => {
    await loadSecrets('lab'); // registers the stats password that waitHaproxyOn presents
    const { leader } = await waitHealthy(120000);
    assert.ok(leader);
    await waitHaproxyOn(leader.name);
  });

  it('left the machine as it was: policy-rc.d lines and apt-get stayed in the hosts', async () => {
    assert.equal(await machineFile('/usr/sbin/policy-rc.d'), policyBefore);
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
      // Chapter 5's first command: without its sudo it fails before anything changes.
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
      // Chapter 14's by-hand commands change nothing on the finished cluster (chapter 5's would
      // put back its one-member, plain-HTTP etcd), so its sample is the one broken here.
      const fourteen = chapter(14);
      const original = await readFile(markdownPath(fourteen), 'utf8');
      const broken = original.replace(/^-rw------- 1 …\/k8s\/secret\.yaml$/m, '-rw-r--r-- 1 …/k8s/secret.yaml');
      const line = broken.split('\n').indexOf('-rw-r--r-- 1 …/k8s/secret.yaml') + 1;
      assert.ok(line > 0, 'the sample to break is not in chapter 14 any more');
      const outcome = await applyByHand(fourteen, await openTarget('lab'), say, {
        markdown: broken,
        echo: () => {},
        skipCheck: true,
      });
      assert.equal(outcome.passed, false);
      const message = lines.find((l) => l.startsWith('✘')) ?? '';
      console.log(`      ${message.split('\n').slice(0, 2).join('\n      ')}`);
      assert.match(
        message,
        new RegExp(`^✘ chapter 14, .*: the sample under .* is stale: sample line chapters/14-kubernetes\\.md:${line} `),
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
