import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Generated per-cluster state (secrets, results) lives here, outside git. */
export const STATE_DIR = process.env.WORKBOOK_STATE_DIR ?? `${ROOT}/.workbook`;

/** Where the lab keeps namespaces, overlays and data directories. */
export const LAB_DIR = process.env.WORKBOOK_LAB_DIR ?? '/var/lib/ha-workbook/lab';
