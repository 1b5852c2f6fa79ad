import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { loadSecrets, mask, SECRET_NAMES } from '../../lib/secrets.ts';

describe('secrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-secrets-`);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are generated once per cluster, strong and distinct, in a 0600 file', async () => {
    const file = `${dir}/lab/secrets.json`;
    const first = await loadSecrets('lab', file);
    assert.deepEqual(Object.keys(first).sort(), [...SECRET_NAMES].sort());
    assert.equal(new Set(Object.values(first)).size, SECRET_NAMES.length);
    for (const value of Object.values(first)) assert.match(value, /^[A-Za-z0-9_-]{24}$/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await loadSecrets('lab', file), first);
  });

  it('fills in a missing secret without touching the others', async () => {
    const file = `${dir}/secrets.json`;
    await writeFile(file, JSON.stringify({ superuser: 'kept-value' }));
    const secrets = await loadSecrets('lab', file);
    assert.equal(secrets.superuser, 'kept-value');
    assert.equal(JSON.parse(await readFile(file, 'utf8')).app, secrets.app);
  });

  it('says what to do with a malformed file, and leaves it alone', async () => {
    const file = `${dir}/secrets.json`;
    await writeFile(file, '{ not json');
    await assert.rejects(
      loadSecrets('lab', file),
      /is damaged \(not the JSON the workbook writes: .*\)\. Repair it by hand.*\n.*Deleting it loses them all \(superuser, replication/,
    );
    assert.equal(await readFile(file, 'utf8'), '{ not json');
  });

  it('are masked when shown', () => {
    assert.equal(mask('abcdefghijklmnopqrstuvwx'), 'ab…(24 chars)');
  });
});
