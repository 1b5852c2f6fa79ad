export interface PhaseRecord {
  name: string;
  seconds: number;
  ok: boolean;
  note?: string;
  /** A part of an earlier phase (a chapter of the chapters phase): shown indented, not summed. */
  part?: boolean;
  error?: string;
}

/** Runs named phases one after the other and keeps how long each took, for the closing table. */
export class Phases {
  readonly done: PhaseRecord[] = [];

  constructor(private readonly say: (line: string) => void) {}

  async run<T>(name: string, work: () => Promise<T>, note?: (result: T) => string | undefined): Promise<T> {
    this.say(`\n▶ ${name}`);
    const started = Date.now();
    try {
      const result = await work();
      const seconds = (Date.now() - started) / 1000;
      this.done.push({ name, seconds, ok: true, note: note?.(result) });
      this.say(`✔ ${name}: ${seconds.toFixed(1)} s`);
      return result;
    } catch (error) {
      const seconds = (Date.now() - started) / 1000;
      this.done.push({ name, seconds, ok: false, error: (error as Error).message });
      this.say(`✘ ${name}: failed after ${seconds.toFixed(1)} s`);
      throw error;
    }
  }

  /** A phase skipped on request (a resumed run): listed, with no time. */
  skip(name: string, why: string): void {
    this.done.push({ name, seconds: 0, ok: true, note: `skipped: ${why}` });
    this.say(`\n– ${name}: skipped (${why})`);
  }

  /** A part measured inside a phase (e.g. one chapter), listed under it. */
  part(name: string, seconds: number, ok: boolean, note?: string): void {
    this.done.push({ name, seconds, ok, note, part: true });
  }

  table(): string {
    const total = this.done.filter((p) => !p.part).reduce((sum, p) => sum + p.seconds, 0);
    const label = (p: PhaseRecord) => (p.part ? `  ${p.name}` : p.name);
    const width = Math.max(5, ...this.done.map((p) => label(p).length));
    const rows = this.done.map(
      (p) =>
        `  ${p.ok ? '✔' : '✘'} ${label(p).padEnd(width)} ${p.seconds.toFixed(1).padStart(7)} s${p.note ? `  (${p.note})` : ''}`,
    );
    return ['timings', ...rows, `    ${'total'.padEnd(width)} ${total.toFixed(1).padStart(7)} s`].join('\n');
  }
}

/**
 * The summary lines of `npm run chapter all`: `  ✔  7 Start Patroni   12 changes  81.2 s`.
 */
export function chapterSummary(
  output: string,
): { number: number; title: string; ok: boolean; seconds: number; changes: number }[] {
  const rows = [];
  for (const line of output.split('\n')) {
    const m = /^\s+([✔✘])\s+(\d+)\s+(.+?)\s+(\d+) changes\s+([\d.]+) s\s*$/.exec(line);
    if (m) rows.push({ ok: m[1] === '✔', number: Number(m[2]), title: m[3], changes: Number(m[4]), seconds: Number(m[5]) });
  }
  return rows;
}

/**
 * Follows `npm run chapter` output as it comes: `▶ chapter 7: Start Patroni  (target: vagrant)`
 * starts a chapter, `✔ chapter 7 done in 81.2 s` or `✘ chapter 7: the check failed…` ends it;
 * by hand (`--by-hand`), `(target: vagrant, by hand)`, `✔ chapter 7 done by hand in 81.2 s` and
 * `✘ chapter 7, chapters/07-….md:12: …` do. So each chapter's time is known even when the run is
 * stopped in the middle of one.
 */
export class ChapterTracker {
  readonly finished: { number: number; title: string; ok: boolean; seconds: number; byHand?: boolean }[] = [];
  private current?: { number: number; title: string; started: number; byHand: boolean };
  private pending = '';

  constructor(private readonly now: () => number = Date.now) {}

  feed(text: string): void {
    this.pending += text;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    const start = /^▶ chapter (\d+): (.+?)\s+\(target: [^,)]+(, by hand)?\)/.exec(line);
    if (start) {
      this.current = { number: Number(start[1]), title: start[2], started: this.now(), byHand: Boolean(start[3]) };
      return;
    }
    const done = /^✔ chapter (\d+) done (?:by hand )?in ([\d.]+) s/.exec(line);
    const failed = /^✘ chapter (\d+)[:,] /.exec(line);
    const number = Number((done ?? failed)?.[1]);
    if ((done || failed) && this.current?.number === number) {
      const seconds = done ? Number(done[2]) : (this.now() - this.current.started) / 1000;
      const { title, byHand } = this.current;
      this.finished.push({ number, title, ok: Boolean(done), seconds, ...(byHand ? { byHand } : {}) });
      this.current = undefined;
    }
  }

  /** The finished chapters, and the one under way (not ok, its time so far) if any. */
  rows(): { number: number; title: string; ok: boolean; seconds: number; byHand?: boolean; unfinished?: boolean }[] {
    const rows: { number: number; title: string; ok: boolean; seconds: number; byHand?: boolean; unfinished?: boolean }[] = [
      ...this.finished,
    ];
    if (this.current)
      rows.push({
        number: this.current.number,
        title: this.current.title,
        ok: false,
        seconds: (this.now() - this.current.started) / 1000,
        ...(this.current.byHand ? { byHand: true } : {}),
        unfinished: true,
      });
    return rows;
  }
}
