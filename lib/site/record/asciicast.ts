/** asciicast v2: a JSON header line, then one JSON array per event: [seconds, "o", text]. */
export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  timestamp?: number;
  idle_time_limit?: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastEvent = [time: number, type: 'o' | 'i' | 'm' | 'r', data: string];

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
}

export function serializeCast(cast: Cast): string {
  const lines = [
    JSON.stringify(cast.header),
    ...cast.events.map(([t, type, data]) => JSON.stringify([Math.round(t * 1e6) / 1e6, type, data])),
  ];
  return `${lines.join('\n')}\n`;
}

export class CastFormatError extends Error {}

export function parseCast(text: string): Cast {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new CastFormatError('empty recording');
  const header = JSON.parse(lines[0]) as CastHeader;
  if (header.version !== 2 || !Number.isInteger(header.width) || !Number.isInteger(header.height)) {
    throw new CastFormatError('not an asciicast v2 recording: the first line must be {"version": 2, "width": …, "height": …}');
  }
  const events = lines.slice(1).map((line, i) => {
    const event = JSON.parse(line) as CastEvent;
    if (!Array.isArray(event) || typeof event[0] !== 'number' || typeof event[1] !== 'string' || typeof event[2] !== 'string') {
      throw new CastFormatError(`event ${i + 1} is not [time, type, data]`);
    }
    return event;
  });
  return { header, events };
}

export function castDuration(cast: Cast): number {
  return cast.events.reduce((max, [t]) => Math.max(max, t), 0);
}

/** All output of a recording as plain text: escape sequences removed, carriage returns applied. */
export function castText(cast: Cast): string {
  return terminalText(
    cast.events
      .filter(([, type]) => type === 'o')
      .map(([, , data]) => data)
      .join(''),
  );
}

/** Terminal output → readable text: a rough replay good enough for line-oriented programs. */
export function terminalText(output: string): string {
  const plain = stripAnsi(output).replace(/\r+\n/g, '\n');
  return plain
    .split('\n')
    .map((line) => {
      const parts = line.split('\r');
      let shown = '';
      for (const part of parts) shown = part + shown.slice(part.length);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
      return shown.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    })
    .join('\n')
    .replace(/\n+$/, '');
}

export function stripAnsi(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
      .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
      .replace(/\x1b[()][A-Za-z0-9]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
      .replace(/\x1b[@-Z\\-_]/g, '')
  );
}
