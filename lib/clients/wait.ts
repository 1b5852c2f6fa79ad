import { scaled } from '../time-scale.ts';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls until `probe` returns a value that is not undefined. On timeout the error says what
 * was awaited and the last state seen, so a failing check explains itself. The timeout is
 * scaled by WORKBOOK_TIME_SCALE (lib/time-scale.ts: 1 unless the machines are emulated).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs: unscaled, intervalMs = 500 }: WaitOptions,
  describeLast: () => string = () => '',
): Promise<T> {
  const timeoutMs = scaled(unscaled);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const last = describeLast();
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? `; last seen: ${last}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `tick` again and again, one every intervalMs (the time a tick takes counts toward it), from
 * start() until stop() has let the running tick finish: the loop of the writer and of the
 * drills' watchers.
 */
export class PollLoop {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      await this.tick();
      const wait = this.intervalMs - (Date.now() - started);
      if (wait > 0) await sleep(wait);
    }
  }
}
