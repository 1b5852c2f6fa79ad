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
