import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { chooseControlDir, ensureControlDir, sharingOptions } from '../../lib/ssh/ssh-control.ts';

describe('ssh connection sharing', () => {
  it('keeps control sockets under .workbook/ when the path is short enough', () => {
    assert.equal(chooseControlDir('/home/ann/ha-workbook/.workbook/cm', 1000), '/home/ann/ha-workbook/.workbook/cm');
  });

  it('moves them to a private folder under /tmp when the path would not fit a socket', () => {
    const long = '/Users/firstname.lastname/Documents/Workshops/2026/ha-postgres-workbook/.workbook/cm';
    const dir = chooseControlDir(long, 501);
    assert.match(dir, /^\/tmp\/ha-workbook-501-[0-9a-f]{8}$/);
    assert.equal(chooseControlDir(long, 501), dir, 'the same folder every time');
    assert.ok(`${dir}/vagrant-haproxynode2.XXXXXXXXXXXXXXXX`.length < 104);
  });

  it('names one socket per target and machine, and escapes % in the folder', () => {
    const block = sharingOptions('/tmp/a%b', 'vagrant');
    assert.deepEqual(block.patterns, ['*']);
    assert.deepEqual(
      block.options.find(([k]) => k === 'ControlPath'),
      ['ControlPath', '/tmp/a%%b/vagrant-%n'],
    );
    assert.ok(block.options.some(([k, v]) => k === 'ControlMaster' && v === 'auto'));
  });

  it('makes the folder private to this user, and refuses a file in its place', async () => {
    const base = await mkdtemp(`${tmpdir()}/wb-cm-test-`);
    try {
      await ensureControlDir(`${base}/cm`);
      assert.equal((await stat(`${base}/cm`)).mode & 0o777, 0o700);
      await chmod(`${base}/cm`, 0o755);
      await ensureControlDir(`${base}/cm`);
      assert.equal((await stat(`${base}/cm`)).mode & 0o777, 0o700, 'an existing folder is made private again');
      await writeFile(`${base}/file`, '');
      await assert.rejects(ensureControlDir(`${base}/file`), /EEXIST|must be a folder/);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
