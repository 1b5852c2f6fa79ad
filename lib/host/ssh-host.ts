/** @deprecated moved to lib/ssh/ssh-host.ts; shim kept until the parallel branches are merged */
export * from '../ssh/ssh-host.ts';
