import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { findSecrets, SECRET_MASK } from '../../lib/secret-scrubber.ts';
import { castText, parseCast } from '../../lib/site/record/asciicast.ts';
import { chapterCommand, commandToRecord, parseRecordArgs } from '../../lib/site/record/record-args.ts';
import { recordSession, SecretLeakError } from '../../lib/site/record/recorder.ts';
import { readSecretsFile, recordFake } from './site-support.ts';

describe('site: npm run record', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-record-`);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records the chapter command (npm run chapter N) by default', () => {
    const args = parseRecordArgs(['7', '--target', 'lab']);
    assert.deepEqual(chapterCommand(args), ['npm', 'run', '--silent', 'chapter', '7', '--', '--target', 'lab']);
    assert.deepEqual(commandToRecord(args, undefined).argv, chapterCommand(args));
    assert.throws(() => commandToRecord(args, 'node x.mjs'), /JSON array of strings/);
    assert.throws(() => parseRecordArgs(['42']), /unknown chapter/);
  });

  it('writes an asciicast v2 file in which every generated secret is ********', async () => {
    const state = `${dir}/state`;
    const out = `${dir}/recordings`;
    const result = await recordFake(state, out);
    assert.equal(result.code, 0, result.stderr);
    const secrets = await readSecretsFile(state);
    assert.ok(secrets.length >= 5, 'the recorder generated the cluster secrets before the chapter ran');
    assert.deepEqual(findSecrets(result.stdout, secrets), [], 'the live echo is scrubbed too');

    const text = await readFile(`${out}/10.cast`, 'utf8');
    const cast = parseCast(text);
    assert.equal(cast.header.version, 2);
    assert.equal(cast.header.width, 100);
    assert.equal(cast.header.title, 'Chapter 10: Failover test');
    assert.ok(cast.events.length >= 3);
    assert.ok(
      cast.events.every(([t], i) => i === 0 || t >= cast.events[i - 1][0]),
      'event times only grow',
    );
    assert.deepEqual(findSecrets(text, secrets), [], 'no secret in the file');
    const screen = castText(cast);
    assert.deepEqual(findSecrets(screen, secrets), [], 'no secret on the replayed screen');
    // The fake chapter showed six secrets: whole, cut in two, as JSON, in a URL, in colour, one character at a time.
    assert.equal(screen.split(SECRET_MASK).length - 1, 6, screen);
    assert.match(screen, /replication password: \*{8}\n/);
    assert.match(screen, /restapi: \*{8}\n/);
  });

  it('keeps a failed run out of the site: NN.failed.cast and the chapter’s exit code', async () => {
    const out = `${dir}/recordings`;
    const result = await recordFake(`${dir}/state`, out, 3);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /the chapter failed \(exit code 3\)/);
    await assert.rejects(stat(`${out}/10.cast`));
    assert.ok((await stat(`${out}/10.failed.cast`)).size > 0);
  });

  it('refuses to hand back a recording in which a secret survived scrubbing', async () => {
    // A secret cut by a colour code cannot be matched in the byte stream; the check of the
    // replayed screen text catches it.
    const secret = 'S3cr3tValueForTheTest';
    const script = `process.stdout.write('${secret.slice(0, 8)}\\x1b[1m${secret.slice(8)}\\n')`;
    await assert.rejects(
      recordSession({ argv: [process.execPath, '-e', script], cwd: dir, secrets: async () => [secret] }),
      SecretLeakError,
    );
  });
});
