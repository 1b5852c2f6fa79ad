/** @deprecated moved to lib/ssh/ssh-config.ts; shim kept until the parallel branches are merged */
export * from '../ssh/ssh-config.ts';
