/** @deprecated moved to lib/ssh/ssh-transport.ts; shim kept until the parallel branches are merged */
export * from '../ssh/ssh-transport.ts';
