/** Failover timings. The guide's are the default; the drill can switch to fast ones. */
export interface Timings {
  ttl: number;
  loopWait: number;
  retryTimeout: number;
  haproxy: { inter: string; fall: number; rise: number };
}

export const GUIDE_TIMINGS: Timings = {
  ttl: 30,
  loopWait: 10,
  retryTimeout: 10,
  haproxy: { inter: '3s', fall: 3, rise: 2 },
};

export const FAST_TIMINGS: Timings = {
  ttl: 10,
  loopWait: 2,
  retryTimeout: 3,
  haproxy: { inter: '1s', fall: 2, rise: 1 },
};
