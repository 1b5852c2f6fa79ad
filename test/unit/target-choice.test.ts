import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../lib/paths.ts';
import { parseChapterArgs } from '../../lib/runner/args.ts';
import { assertTargetIntended, chosenTarget } from '../../lib/target.ts';

const run = promisify(execFile);

/** Choosing the target once for the whole workshop: --target, else WORKBOOK_TARGET, else .workbook/target, else the lab. */
describe('the target, chosen once', () => {
  let state: string;
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'workbook-target-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('comes from WORKBOOK_TARGET, else .workbook/target, else is the lab', () => {
    const file = `${state}/target`;
    assert.deepEqual(chosenTarget({}, file), { name: 'lab', source: 'default' });
    writeFileSync(file, 'vagrant\n');
    assert.deepEqual(chosenTarget({}, file), { name: 'vagrant', source: '.workbook/target' });
    assert.deepEqual(chosenTarget({ WORKBOOK_TARGET: 'ssh' }, file), { name: 'ssh', source: 'WORKBOOK_TARGET' });
    assert.throws(
      () => chosenTarget({ WORKBOOK_TARGET: 'docker' }, file),
      /WORKBOOK_TARGET is "docker": choose one of lab, vagrant, ssh/,
    );
    writeFileSync(file, 'vms\n');
    assert.throws(() => chosenTarget({}, file), /says "vms": choose again with `npm run target -- <lab\|vagrant\|ssh>`/);
  });

  it('--target wins over everything', () => {
    const saved = process.env.WORKBOOK_TARGET;
    process.env.WORKBOOK_TARGET = 'vagrant';
    try {
      const args = parseChapterArgs(['check', '1', '--target', 'lab']);
      assert.deepEqual([args.target, args.targetSource], ['lab', '--target']);
      const fromEnv = parseChapterArgs(['check', '1']);
      assert.deepEqual([fromEnv.target, fromEnv.targetSource], ['vagrant', 'WORKBOOK_TARGET']);
    } finally {
      if (saved === undefined) delete process.env.WORKBOOK_TARGET;
      else process.env.WORKBOOK_TARGET = saved;
    }
  });

  it('a vagrant user who forgot --target is not silently given the lab (and new lab secrets)', () => {
    mkdirSync(`${state}/vagrant`, { recursive: true });
    writeFileSync(`${state}/vagrant/secrets.json`, '{}');
    assert.throws(
      () => assertTargetIntended({ name: 'lab', source: 'default' }, state),
      /no target is chosen, so this would run on the lab, but \.workbook\/vagrant\/ holds the secrets of your vagrant cluster\.\n {2}Choose once for the whole workshop: `npm run target -- vagrant`/,
    );
    assertTargetIntended({ name: 'lab', source: '--target' }, state);
    assertTargetIntended({ name: 'vagrant', source: '.workbook/target' }, state);
    mkdirSync(`${state}/lab`, { recursive: true });
    writeFileSync(`${state}/lab/secrets.json`, '{}');
    assertTargetIntended({ name: 'lab', source: 'default' }, state);
  });

  it('`npm run target -- vagrant` saves the choice; `npm run check 1` then uses it and says so; --forget goes back', async function () {
    this.timeout(30000);
    const env: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_STATE_DIR: state };
    delete env.WORKBOOK_TARGET;
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env }).then(
        (r) => r.stdout + r.stderr,
        (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
      );
    assert.match(await cli('lib/cli/target.ts'), /^target: lab \(the default: nothing chosen yet\)/);
    assert.match(await cli('lib/cli/target.ts', 'vagrant'), /^target: vagrant, saved in .*\/target: every command now uses it/);
    assert.equal(readFileSync(`${state}/target`, 'utf8'), 'vagrant\n');
    // No vagrant on PATH here: the run gets as far as saying which target it uses, and why it stops.
    const out = await cli('lib/cli/chapter.ts', 'check', '2');
    assert.match(out, /^target: vagrant \(VMs from the Vagrantfile.*\), chosen in \.workbook\/target$/m);
    assert.match(await cli('lib/cli/target.ts', 'docker'), /unknown target "docker"/);
    assert.match(await cli('lib/cli/target.ts', '--forget'), /back to the default, the lab/);
    assert.match(await cli('lib/cli/target.ts'), /^target: lab \(the default/);
  });
});
