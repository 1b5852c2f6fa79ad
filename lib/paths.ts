import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Generated per-cluster state (secrets, results) lives here, outside git. */
export const STATE_DIR = process.env.WORKBOOK_STATE_DIR ?? `${ROOT}/.workbook`;

/**
 * A second lab beside the machine's own, inside this network namespace, where 192.168.56.0/24
 * is its bridge and no other: CI types the chapters by hand in one while the rest of the lab
 * suite runs on the machine's lab. Its hosts' namespaces, its directory and its lock are named
 * after it. Unset for the machine's lab (`npm run lab -- up`).
 */
export const LAB_NETNS = process.env.WORKBOOK_LAB_NETNS || undefined;

/** Where the lab keeps namespaces, overlays and data directories. */
export const LAB_DIR = process.env.WORKBOOK_LAB_DIR ?? `/var/lib/ha-workbook/${LAB_NETNS ?? 'lab'}`;
