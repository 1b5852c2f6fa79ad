import { readFile } from 'node:fs/promises';
import { escapeHtml } from './html.ts';
import { type Cast, castDuration, castText, parseCast } from './record/asciicast.ts';

/** A chapter's recording of the chapter itself, or of its fault exercise done by hand. */
export type RecordingKind = 'chapter' | 'exercise';

export interface ChapterRecording {
  number: number;
  kind: RecordingKind;
  /** `recordings/07.cast`, relative to the site's root. */
  url: string;
  file: string;
  cast: Cast;
}

/** `07.cast` for the chapter, `08-exercise.cast` for its exercise done by hand (`npm run record 8 -- --exercise …`). */
export const recordingName = (number: number, kind: RecordingKind = 'chapter') =>
  `${String(number).padStart(2, '0')}${kind === 'exercise' ? '-exercise' : ''}.cast`;

/** The chapter's recording of that kind, if `npm run record` made one. A broken file fails the build. */
export async function findRecording(
  recordingsDir: string | undefined,
  number: number,
  kind: RecordingKind = 'chapter',
): Promise<ChapterRecording | undefined> {
  if (!recordingsDir) return undefined;
  const file = `${recordingsDir}/${recordingName(number, kind)}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { number, kind, file, url: `recordings/${recordingName(number, kind)}`, cast: parseCast(text) };
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/**
 * The player's place in "What you should see". site.js puts a poster there (the end of the
 * transcript, with a play button) and loads asciinema-player only when it is pressed; the
 * transcript below is the same output as text, for readers without JavaScript, for printing,
 * and for copying.
 */
export function recordingHtml(recording: ChapterRecording): string {
  const { cast } = recording;
  const duration = castDuration(cast);
  const poster = `npt:${Math.max(0, duration - 0.01).toFixed(2)}`;
  const seconds = duration < 60 ? `${duration.toFixed(1)} s` : `${Math.floor(duration / 60)} min ${Math.round(duration % 60)} s`;
  return `<figure class="recording" data-pagefind-ignore data-cast="${escapeHtml(recording.url)}" data-cols="${cast.header.width}" data-rows="${cast.header.height}" data-poster="${poster}">
<div class="recording-player"></div>
<details class="recording-transcript" open><summary>Terminal transcript</summary><pre tabindex="0">${escapeHtml(castText(cast))}</pre></details>
<figcaption>Recorded with <code>npm run record ${recording.number}${recording.kind === 'exercise' ? ' -- --exercise' : ''}</code> (${seconds}). Secrets are shown as <code>********</code>. <a href="${escapeHtml(recording.url)}" download>Download the recording</a></figcaption>
</figure>
`;
}
