/**
 * `vagrant status --machine-readable`: lines of `timestamp,target,type,data…`, where the data
 * has its commas written as `%!(VAGRANT_COMMA)` and its line breaks as `\n`.
 */
export interface MachineStatus {
  name: string;
  /** running, poweroff, shutoff, saved, not_created, aborted… (provider specific). */
  state: string;
  provider?: string;
}

export function parseMachineReadable(text: string): { target: string; type: string; data: string[] }[] {
  const rows: { target: string; type: string; data: string[] }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.split(',');
    if (fields.length < 3 || !/^\d+$/.test(fields[0])) continue;
    const [, target, type, ...data] = fields;
    rows.push({ target, type, data: data.map((d) => d.replaceAll('%!(VAGRANT_COMMA)', ',').replaceAll('\\n', '\n')) });
  }
  return rows;
}

export function machineStates(text: string): Map<string, MachineStatus> {
  const machines = new Map<string, MachineStatus>();
  for (const row of parseMachineReadable(text)) {
    if (!row.target) continue;
    const machine = machines.get(row.target) ?? { name: row.target, state: 'unknown' };
    if (row.type === 'state') machine.state = row.data[0] ?? 'unknown';
    else if (row.type === 'provider-name') machine.provider = row.data[0];
    else continue;
    machines.set(row.target, machine);
  }
  return machines;
}

/** The states in which vagrant can reach a machine over ssh. */
export function isRunning(status: MachineStatus | undefined): boolean {
  return status?.state === 'running';
}

/** The message of an `error-exit` row: why vagrant gave up (e.g. the provider is not usable). */
export function machineReadableError(text: string): string | undefined {
  const rows = parseMachineReadable(text);
  const exit = rows.find((r) => r.type === 'error-exit');
  if (exit) return exit.data.slice(1).join(',').trim();
  return rows
    .find((r) => r.type === 'ui' && r.data[0] === 'error')
    ?.data.slice(1)
    .join(',')
    .trim();
}

/** The class of vagrant's error (`Vagrant::Errors::ProviderNotUsable`), from its `error-exit` row. */
export function machineReadableErrorClass(text: string): string | undefined {
  return parseMachineReadable(text).find((r) => r.type === 'error-exit')?.data[0];
}
