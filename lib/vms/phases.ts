/** Runs named phases one after the other and keeps how long each took, for the closing table. */
export class Phases {
  readonly done: { name: string; seconds: number; ok: boolean; note?: string }[] = [];

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
      this.done.push({ name, seconds: (Date.now() - started) / 1000, ok: false });
      throw error;
    }
  }

  table(): string {
    const total = this.done.reduce((sum, p) => sum + p.seconds, 0);
    const width = Math.max(5, ...this.done.map((p) => p.name.length));
    const rows = this.done.map(
      (p) =>
        `  ${p.ok ? '✔' : '✘'} ${p.name.padEnd(width)} ${p.seconds.toFixed(1).padStart(7)} s${p.note ? `  (${p.note})` : ''}`,
    );
    return ['timings', ...rows, `    ${'total'.padEnd(width)} ${total.toFixed(1).padStart(7)} s`].join('\n');
  }
}
