/** @deprecated moved to lib/secret-scrubber.ts; shim kept until the parallel branches are merged */
export * from '../../secret-scrubber.ts';
