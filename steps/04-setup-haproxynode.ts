import { ROLE_PACKAGES } from '../lib/packages.ts';
import { defineStep } from '../lib/step.ts';

/** Chapter 4: HAProxy on haproxynode. */
export default defineStep(async ({ host }) => {
  await host('haproxynode').install(ROLE_PACKAGES.haproxy); // haproxy
});
