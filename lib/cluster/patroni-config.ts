/** @deprecated moved to lib/cluster/patroni-yml.ts; shim kept until the parallel branches are merged */
export * from './patroni-yml.ts';
