import { defineStep } from '../lib/step.ts';

/**
 * Chapter 1: bring the five machines up. On the lab that creates the namespaces, the bridge
 * 192.168.56.1 and the safety route; on Vagrant it is `vagrant up`.
 */
export default defineStep(async ({ target, say, changed }) => {
  say(`bringing up the machines on the ${target.name} target`);
  for (const change of await target.bringUp(say)) changed(target.name, change);
});
