import { SUBNET } from '../ip-plan.ts';
import { local } from '../local.ts';

const confirmed = new Map<string, number>();
const CONFIRM_FOR_MS = 5000;

/**
 * Network safety: before anything is sent to a cluster address, confirm that it lies in the
 * lab subnet and that this machine reaches it directly (a bridge or host-only adapter), not
 * through a gateway and not into the unreachable safety route.
 */
export async function assertClusterAddress(address: string): Promise<void> {
  const seen = confirmed.get(address);
  if (seen && Date.now() - seen < CONFIRM_FOR_MS) return;
  if (!/^192\.168\.56\.\d{1,3}$/.test(address)) {
    throw new Error(`refusing to contact ${address}: only the cluster subnet ${SUBNET} is allowed`);
  }
  const route = await local`ip route get ${address}`.catch((e: Error) => e.message);
  if (/unreachable|\bvia\b/.test(route) || !/\bdev\s+\S+/.test(route)) {
    throw new Error(
      `${address} is not reachable directly from this machine (${route.trim().split('\n')[0]}): the machines are not up. Run \`npm run chapter 1\``,
    );
  }
  confirmed.set(address, Date.now());
}
