export const SECRET_MASK = '********';

/** Secrets shorter than this are refused: scrubbing them would garble ordinary output. */
export const MIN_SECRET_LENGTH = 6;

/** The forms a secret may take in terminal output: as is, JSON-escaped, URL-encoded. */
export function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every secret in a stream of terminal output with `********`. Output arrives in
 * chunks that may cut a secret in two, so the end of a chunk that could be the start of a secret
 * is held back until the next chunk (or flush) shows whether it is.
 */
export class SecretScrubber {
  private readonly forms: string[];
  private pending = '';

  constructor(secrets: Iterable<string>) {
    this.forms = secretForms(secrets);
  }

  /** Scrubs a whole text at once. */
  scrub(text: string): string {
    let out = text;
    for (const form of this.forms) out = out.split(form).join(SECRET_MASK);
    return out;
  }

  /** Takes the next chunk, returns what can safely be shown now. */
  push(chunk: string): string {
    const text = this.scrub(this.pending + chunk);
    const hold = this.partialTail(text);
    this.pending = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** The end of the stream: whatever was held back. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** Length of the longest end of `text` that is the beginning of some secret. */
  private partialTail(text: string): number {
    let longest = 0;
    for (const form of this.forms) {
      const max = Math.min(form.length - 1, text.length);
      for (let n = max; n > longest; n--) {
        if (text.endsWith(form.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}

/** Which of the secrets occur in the text (by index), for checks that must find none. */
export function findSecrets(text: string, secrets: readonly string[]): number[] {
  return secrets.flatMap((secret, i) => (secretForms([secret]).some((form) => text.includes(form)) ? [i] : []));
}
