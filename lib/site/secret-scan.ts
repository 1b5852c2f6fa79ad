import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { secretForms } from '../secret-scrubber.ts';
import { listFiles } from './walk.ts';

export interface SecretHit {
  file: string;
  /** Index of the secret in the list given, never the secret itself. */
  secret: number;
}

/** A file's text as a reader or the browser gets it: gzip'd files (Pagefind's index) unpacked. */
function contents(buffer: Buffer): string {
  let data = buffer;
  const pagefindGzip = buffer.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
  if (pagefindGzip) {
    try {
      data = gunzipSync(buffer);
    } catch {
      // Not gzip after all: search the bytes as they are.
    }
  }
  return data.toString('latin1') + data.toString('utf8');
}

/** Searches every file under `dir` for every secret, in every form the scrubber knows. */
export async function scanForSecrets(dir: string, secrets: readonly string[]): Promise<SecretHit[]> {
  const forms = secrets.map((s) => secretForms([s]));
  const hits: SecretHit[] = [];
  for (const file of await listFiles(dir)) {
    const text = contents(await readFile(join(dir, file)));
    forms.forEach((variants, secret) => {
      if (variants.some((v) => text.includes(v))) hits.push({ file, secret });
    });
  }
  return hits;
}
