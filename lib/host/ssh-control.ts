/** @deprecated moved to lib/ssh/ssh-control.ts; shim kept until the parallel branches are merged */
export * from '../ssh/ssh-control.ts';
