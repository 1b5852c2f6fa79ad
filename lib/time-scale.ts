/**
 * One factor for every timeout that waits on the machines, like Patroni's test timeout
 * multiplier: 1 on the lab and on VMs with KVM or VirtualBox, more under QEMU's emulation (TCG),
 * where a VM boots and runs several times slower. `npm run test:vms` sets it from the
 * accelerator it chose; an attendee on a slow laptop may set it by hand.
 *
 *   WORKBOOK_TIME_SCALE=4 npm run chapter all -- --target vagrant
 *
 * Read here and nowhere else (the Vagrantfile reads the same variable for its boot_timeout).
 * Applied where a timeout is used, not where it is written: waitFor, every HTTP request, every
 * SQL connection and query, the writer's wait for writes, ssh's ConnectTimeout, the checks'
 * mocha timeout and the by-hand runner's wait for a typed command (lib/byhand/session.ts). So each literal timeout of the steps, the checks and lib/ scales with it.
 */
export const TIME_SCALE_VARIABLE = 'WORKBOOK_TIME_SCALE';

/** The factor under QEMU's emulator, measured on this project's test machine (see bench/results). */
export const TCG_TIME_SCALE = 6;

export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env[TIME_SCALE_VARIABLE] ?? '').trim();
  if (raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 1 || value > 100)
    throw new Error(`${TIME_SCALE_VARIABLE} must be a number from 1 to 100 (a timeout multiplier), not ${JSON.stringify(raw)}`);
  return value;
}

/** A timeout in milliseconds (or seconds), scaled. */
export function scaled(timeout: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.round(timeout * timeScale(env));
}
