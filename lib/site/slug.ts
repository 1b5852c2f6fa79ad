/** GitHub-style heading ids: lower case, punctuation dropped, spaces to dashes. */
export function slugify(text: string): string {
  return (
    text
      .trim()
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

/** Hands out unique ids within one page: a repeated heading gets -1, -2, … */
export class Slugger {
  private readonly seen = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.seen.set(id, 0);
  }

  slug(text: string): string {
    const base = slugify(text);
    let id = base;
    let n = this.seen.get(base);
    if (n !== undefined) {
      do {
        n += 1;
        id = `${base}-${n}`;
      } while (this.seen.has(id));
      this.seen.set(base, n);
    }
    this.seen.set(id, 0);
    return id;
  }
}
