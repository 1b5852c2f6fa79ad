import { HOST_NAMES } from '../ip-plan.ts';
import { classifyShellLines } from '../site/shell-lines.ts';

/**
 * The by-hand commands of a chapter, as the attendee reads them (CONTRIBUTING.md, "By hand,
 * as typed"): fenced ```sh blocks whose lines start with a host prompt (`node1$ `, `$ `, …).
 * A prompt line starts a command, a trailing `\` or a heredoc continues it, and the lines after
 * it up to the next prompt are the sample output the attendee should see.
 */

/** The machine where the workbook is checked out: `$ `. */
export const LOCAL = 'local';

/** Where a block is typed: `By hand` before the check, `What you should see` after it. */
export type Phase = 'by-hand' | 'see';

export interface Command {
  /** A host name, or LOCAL for `$ `. */
  host: string;
  /** What is typed, continuation lines included, without the prompt. */
  text: string;
  /** The markdown file (relative to the repository) and the 1-based line of the prompt. */
  file: string;
  line: number;
  /** The sample output under the command, with the line of its first line; empty: not compared. */
  sample: string[];
  sampleLine: number;
  /** `# fails: why`: the command must exit non-zero. */
  fails?: string;
  /** `# type <placeholder>`: the line typed when the command reads its input. */
  input?: string;
}

export interface SessionBlock {
  file: string;
  /** Line of the opening fence. */
  line: number;
  phase: Phase | undefined;
  /** `<!-- by-hand: skip (reason) -->` right above the block. */
  skip?: string;
  /** `<!-- by-hand: only lab|vagrant|ssh, … -->`: typed on those targets only. */
  only?: string[];
  /** `<!-- by-hand: repeat node2 node3 -->`: typed again on each of these hosts, in place of the block's own host. */
  repeat?: string[];
  commands: Command[];
}

const SESSION_PROMPT = new RegExp(`^(?:(${HOST_NAMES.join('|')}))?\\$ $`);
const MARKER = /^<!--\s*by-hand:\s*(skip|only|repeat)\b\s*(.*?)\s*-->\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*(\S*)/;
const FAILS = /\s#\s*fails:?\s*(.*)$/;
const TYPE = /\s#\s*type\s+(\S.*?)\s*$/;

export class ChapterFormatError extends Error {}

/** Which host a prompt (`node1$ `) names, or undefined when it is not a session prompt. */
export function promptHost(prompt: string): string | undefined {
  const m = SESSION_PROMPT.exec(prompt);
  if (!m) return undefined;
  return m[1] ?? LOCAL;
}

/** Every session block of a chapter, in order. */
export function parseSessions(markdown: string, file: string): SessionBlock[] {
  const lines = markdown.split('\n');
  const blocks: SessionBlock[] = [];
  let phase: Phase | undefined;
  let markers: Marker[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^## (.+?)\s*$/.exec(line);
    if (heading) {
      phase = heading[1] === 'By hand' ? 'by-hand' : heading[1] === 'What you should see' ? 'see' : undefined;
      continue;
    }
    const m = MARKER.exec(line);
    if (m) {
      markers.push({ kind: m[1], arg: m[2], line: i + 1 });
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      // A marker belongs to the block right below it (an include comment may sit between).
      if (line.trim() && !line.startsWith('<!-- include:')) markers = [];
      continue;
    }
    const close = new RegExp(`^${fence[1][0]}{${fence[1].length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    const body = lines.slice(i + 1, end);
    const block = parseBlock(fence[2], body, file, i + 1, phase, markers);
    if (block) blocks.push(block);
    else if (markers.length)
      throw new ChapterFormatError(`${file}:${markers[0].line}: a by-hand marker above a block that is not a session`);
    markers = [];
    i = end;
  }
  return blocks;
}

interface Marker {
  kind: string;
  arg: string;
  line: number;
}

function parseBlock(
  lang: string,
  body: string[],
  file: string,
  fenceLine: number,
  phase: Phase | undefined,
  markers: readonly Marker[],
): SessionBlock | undefined {
  if (!['sh', 'bash', 'console', 'shell'].includes(lang)) return undefined;
  const classified = classifyShellLines(body.join('\n'));
  const sessionLike = classified.some((l) => l.kind === 'command' && promptHost(l.prompt));
  if (!sessionLike) return undefined;
  const block: SessionBlock = { file, line: fenceLine, phase, commands: [] };
  for (const marker of markers) {
    const words = marker.arg.split(/[\s,]+/).filter(Boolean);
    if (marker.kind === 'skip') {
      const reason = /^\((.+)\)$/.exec(marker.arg)?.[1];
      if (!reason) throw new ChapterFormatError(`${file}:${marker.line}: write the reason: <!-- by-hand: skip (why) -->`);
      block.skip = reason;
    } else if (marker.kind === 'only') {
      if (!words.length || words.some((t) => !['lab', 'vagrant', 'ssh'].includes(t)))
        throw new ChapterFormatError(`${file}:${marker.line}: <!-- by-hand: only lab|vagrant|ssh --> names targets`);
      block.only = words;
    } else {
      if (!words.length || words.some((h) => !HOST_NAMES.includes(h)))
        throw new ChapterFormatError(`${file}:${marker.line}: <!-- by-hand: repeat node2 node3 --> names hosts`);
      block.repeat = words;
    }
  }
  let current: Command | undefined;
  classified.forEach((entry, index) => {
    const lineNo = fenceLine + 1 + index;
    if (entry.kind === 'command') {
      const host = promptHost(entry.prompt);
      if (!host) {
        if (block.skip || !phase) return;
        throw new ChapterFormatError(
          `${file}:${lineNo}: \`${entry.prompt}\` is not a host prompt of a session block: type it with a shell command (psql -c …), or mark the block <!-- by-hand: skip (why) -->`,
        );
      }
      current = { host, text: entry.text, file, line: lineNo, sample: [], sampleLine: lineNo + 1 };
      block.commands.push(current);
    } else if (entry.kind === 'continuation' && current) {
      current.text += `\n${entry.text}`;
      current.sampleLine = lineNo + 1;
    } else if (entry.kind === 'output' && current) {
      current.sample.push(entry.text);
    }
  });
  for (const command of block.commands) {
    while (command.sample.length && !command.sample.at(-1)?.trim()) command.sample.pop();
    // The comment ends the command's first line, or its last one after `\` continuations (a
    // heredoc's body may hold any text).
    const lines = command.text.split('\n');
    const where = /<<-?\s*['"]?\w/.test(lines[0]) ? [lines[0]] : [lines[0], lines.at(-1) ?? ''];
    const fails = where.map((l) => FAILS.exec(l)).find(Boolean);
    if (fails) command.fails = fails[1] || 'this command fails on purpose';
    const input = where.map((l) => TYPE.exec(l)).find(Boolean);
    if (input) command.input = input[1];
  }
  return block;
}
