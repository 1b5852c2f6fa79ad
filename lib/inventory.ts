/** @deprecated moved to lib/ip-plan.ts; shim kept until the parallel branches are merged */
export * from './ip-plan.ts';
