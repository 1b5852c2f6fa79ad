/**
 * The tolerant matcher of sample outputs (like cram's and byexample's): a chapter shows what
 * the attendee should see, and the parts that differ from run to run match by their class.
 *
 * - `…` alone on a line matches any number of lines; `…` inside a line matches any text.
 * - `<placeholder>` (`<superuser-password>`, `<timeline>`) matches any text.
 * - Variable values match their class: numbers of three digits or more (pids, ids, ports),
 *   decimals and versions, durations (`187ms`, `2.3 s`), dates and times, LSNs (`0/3000060`),
 *   hex ids, the member names node1–node3 and their addresses .11–.13.
 * - Small numbers are literal: "5 passing" must not match "4 passing".
 * - Runs of spaces and of table rule characters (`----`, `─────`, `+---+`) compare loosely;
 *   blank lines and leading or trailing spaces are ignored.
 */

const TOKENS: readonly [RegExp, (text: string) => string][] = [
  [/…/y, () => '.*'],
  [/<[A-Za-z][\w.-]*>/y, () => '.*?'],
  [/\b192\.168\.56\.1[123]\b/y, () => '192\\.168\\.56\\.1[123]'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/y, (t) => escapeRegex(t)],
  // ISO 8601 (`2026-11-25T22:45:06.955176+00:00`, patronictl history): one timestamp, zone included.
  [
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/y,
    () => '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?',
  ],
  [/\d{4}[-/]\d{2}[-/]\d{2}/y, () => '\\d{4}[-/]\\d{2}[-/]\\d{2}'],
  [/\d{2}:\d{2}:\d{2}(?:[.,]\d+)?/y, () => '\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?'],
  [/\b[0-9A-F]{1,8}\/[0-9A-F]{2,8}\b/y, () => '[0-9A-F]+/[0-9A-F]+'],
  [/\d+(?:\.\d+)?\s?(?:ms|s|min)\b/y, () => '\\d+(?:\\.\\d+)?\\s?(?:ms|s|min)'],
  [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/y, () => '[0-9a-f]+'],
  [/\bnode[123]\b/y, () => 'node[123]'],
  [/\d+(?:\.\d+)+/y, () => '\\d+(?:\\.\\d+)*'],
  [/\d{3,}/y, () => '\\d+'],
  [/[-─━═=+┼┬┴├┤]{3,}/y, () => '[-─━═=+┼┬┴├┤]+'],
  [/[ \t]+/y, () => '[ \\t]+'],
];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regular expression one sample line stands for. */
export function linePattern(sampleLine: string): RegExp {
  const text = sampleLine.trim();
  let source = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const [token, replace] of TOKENS) {
      token.lastIndex = i;
      const m = token.exec(text);
      if (m && m[0].length > 0) {
        source += replace(m[0]);
        i += m[0].length;
        continue outer;
      }
    }
    // A character that is not a token: literal, and a word's digits stay with it.
    const word = /[A-Za-z_]\w*|./y;
    word.lastIndex = i;
    const m = word.exec(text) as RegExpExecArray;
    source += escapeRegex(m[0]);
    i += m[0].length;
  }
  return new RegExp(`^${source}$`, 'u');
}

const ESC = '\x1b';
/** Back to column 1 and erase the line (npm's spinner does it): the line so far is gone. */
const CLEAR_LINE = new RegExp(`(?:\\r|${ESC}\\[1?G)${ESC}\\[0?K`, 'g');
const CLEARED = '\u0001';
const OSC = new RegExp(`${ESC}\\][^\\x07${ESC}]*(?:\\x07|${ESC}\\\\)`, 'g');
const CSI = new RegExp(`${ESC}\\[[0-?]*[ -/]*[@-~]`, 'g');
const OTHER = new RegExp(`${ESC}[()][0-9A-B]|${ESC}[=>78]`, 'g');

/** Terminal output as the attendee reads it: no colours or escapes, a line overwritten by `\r` as it ends. */
export function screenText(raw: string): string {
  return raw
    .replace(CLEAR_LINE, CLEARED)
    .replace(OSC, '')
    .replace(CSI, '')
    .replace(OTHER, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(Math.max(line.lastIndexOf('\r'), line.lastIndexOf(CLEARED)) + 1))
    .join('\n');
}

/**
 * Mocha's mark of a slow test, `✔ routes port 5000 to the leader (1203ms)`: whether a test is
 * slow depends on the machine's load, so a sample line without it matches a line with it.
 */
const SLOW_MARK = /\s+\(\d+ms\)$/;

export interface SampleMismatch {
  /**
   * Index (0-based) in the sample of the first line that no part of the output matched, or
   * undefined when every sample line matched but the output goes on (the sample needs a `…`).
   */
  sampleIndex?: number;
}

/** undefined when the output matches the sample, else where the sample stops matching. */
export function matchSample(sample: readonly string[], output: string): SampleMismatch | undefined {
  const want = sample.map((text, index) => ({ text: text.trim(), index })).filter((l) => l.text);
  const got = screenText(output)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const patterns = want.map((l) => (l.text === '…' ? undefined : linePattern(l.text)));
  const failed = new Set<string>();
  let furthest = 0;
  const go = (i: number, j: number): boolean => {
    furthest = Math.max(furthest, i);
    if (i === want.length) return j === got.length;
    const key = `${i},${j}`;
    if (failed.has(key)) return false;
    const pattern = patterns[i];
    const ok = pattern
      ? j < got.length && (pattern.test(got[j]) || pattern.test(got[j].replace(SLOW_MARK, ''))) && go(i + 1, j + 1)
      : go(i + 1, j) || (j < got.length && go(i, j + 1));
    if (!ok) failed.add(key);
    return ok;
  };
  if (go(0, 0)) return undefined;
  return { sampleIndex: want[furthest]?.index };
}
