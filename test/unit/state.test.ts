import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../lib/paths.ts';
import { STATE_DIR_MODE, STATE_FILE_MODE, writeStateFile } from '../../lib/state.ts';

describe('the state in .workbook/ (lib/state.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes files 0600 in folders 0700, and says what it did', async () => {
    const file = join(dir, 'lab', 'drills', 'x.json');
    assert.equal(await writeStateFile(file, '{}\n'), 'written');
    assert.equal(statSync(file).mode & 0o777, STATE_FILE_MODE);
    assert.equal(statSync(join(dir, 'lab', 'drills')).mode & 0o777, STATE_DIR_MODE);
    assert.equal(await writeStateFile(file, '{}\n'), 'unchanged');
    chmodSync(file, 0o644);
    assert.equal(await writeStateFile(file, '{}\n'), 'mode');
    assert.equal(statSync(file).mode & 0o777, STATE_FILE_MODE);
    assert.equal(await writeStateFile(file, '[]\n'), 'written');
  });

  it('is the only module that lays out .workbook/<target>/', () => {
    const hits = execFileSync(
      'git',
      [
        'grep',
        '--untracked',
        '-l',
        '-F',
        '-e',
        `$${'{'}targetStateDir(`,
        '-e',
        `$${'{'}STATE_DIR}`,
        '--',
        'lib',
        'steps',
        'checks',
        'bench',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    ).trim();
    assert.deepEqual(hits.split('\n').filter(Boolean), ['lib/state.ts']);
  });
});
