import assert from 'node:assert/strict';
import { findSecrets, SECRET_MASK, SecretScrubber } from '../../lib/secret-scrubber.ts';
import { generatePassword } from '../../lib/secrets.ts';
import { castText, parseCast, serializeCast, terminalText } from '../../lib/site/record/asciicast.ts';

describe('site: secret scrubber', () => {
  const secrets = [generatePassword(), generatePassword(), 'p@ss w/"quotes"&more'];
  const text = `a ${secrets[0]} b ${secrets[1]}${secrets[0]} c {"pw":${JSON.stringify(secrets[2])}} d postgres://u:${encodeURIComponent(secrets[2])}@h/db e`;

  it('replaces every secret as is, JSON-escaped and URL-encoded', () => {
    const out = new SecretScrubber(secrets).scrub(text);
    assert.deepEqual(findSecrets(out, secrets), []);
    assert.equal(out.split(SECRET_MASK).length - 1, 5);
  });

  it('scrubs a secret that the terminal delivered cut into pieces, wherever the cuts fall', () => {
    const expected = new SecretScrubber(secrets).scrub(text);
    for (let a = 1; a < text.length; a += 3) {
      for (const b of [a + 1, a + 7, a + 20]) {
        const scrubber = new SecretScrubber(secrets);
        const chunks = [text.slice(0, a), text.slice(a, b), text.slice(b)];
        const out = chunks.map((c) => scrubber.push(c)).join('') + scrubber.flush();
        assert.equal(out, expected, `cut at ${a} and ${b}`);
      }
    }
  });

  it('holds back only what could still become a secret', () => {
    const scrubber = new SecretScrubber(['abcdef123']);
    assert.equal(scrubber.push('hello abc'), 'hello ');
    assert.equal(scrubber.push('x'), 'abcx');
    assert.equal(scrubber.push(' abcdef'), ' ');
    assert.equal(scrubber.push('123!'), `${SECRET_MASK}!`);
    assert.equal(scrubber.flush(), '');
  });

  it('ignores values too short to be secrets rather than garbling the output', () => {
    assert.equal(new SecretScrubber(['', 'ab']).scrub('ab ab'), 'ab ab');
  });
});

describe('site: asciicast files', () => {
  it('round-trips a recording and renders its text the way a terminal shows it', () => {
    const cast = {
      header: { version: 2 as const, width: 80, height: 24 },
      events: [
        [0.1, 'o', '\x1b[1mbold\x1b[0m line\r\n'],
        [0.2, 'o', 'progress 10%\rprogress 100%\r\n'],
        [0.3, 'o', '\x1b]0;title\x07done'],
      ] as [number, 'o', string][],
    };
    const parsed = parseCast(serializeCast(cast));
    assert.deepEqual(parsed, cast);
    assert.equal(castText(parsed), 'bold line\nprogress 100%\ndone');
    assert.equal(terminalText('abc\rX\n'), 'Xbc');
  });

  it('refuses a file that is not asciicast v2', () => {
    assert.throws(() => parseCast('{"version":1}\n'), /not an asciicast v2 recording/);
  });
});
