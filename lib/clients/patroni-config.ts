/** @deprecated moved to lib/clients/patroni-dcs-config.ts; shim kept until the parallel branches are merged */
export * from './patroni-dcs-config.ts';
