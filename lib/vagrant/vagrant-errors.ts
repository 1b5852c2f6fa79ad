import type { MachineStatus } from './vagrant-status.ts';

/** Some of the machines the chapters need are not running. */
export class VmsNotUpError extends Error {
  constructor(
    readonly machines: readonly MachineStatus[],
    cwd: string,
  ) {
    const list = machines.map((m) => `${m.name} is ${m.state.replaceAll('_', ' ')}`).join(', ');
    const names = machines.map((m) => m.name).join(' ');
    super(
      `the VMs are not up (${list}). Start them with \`vagrant up ${names}\` in ${cwd} ` +
        '(or `npm run chapter 1 -- --target vagrant`), then try again.',
    );
  }
}
