import { readFile } from 'node:fs/promises';
import { escapeHtml } from './html.ts';
import { type Cast, castDuration, castText, parseCast } from './record/asciicast.ts';

export interface ChapterRecording {
  number: number;
  /** `recordings/07.cast`, relative to the site's root. */
  url: string;
  file: string;
  cast: Cast;
}

export const recordingName = (number: number) => `${String(number).padStart(2, '0')}.cast`;

/** The chapter's recording, if `npm run record` made one. A broken file fails the build. */
export async function findRecording(recordingsDir: string | undefined, number: number): Promise<ChapterRecording | undefined> {
  if (!recordingsDir) return undefined;
  const file = `${recordingsDir}/${recordingName(number)}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return { number, file, url: `recordings/${recordingName(number)}`, cast: parseCast(text) };
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
<figcaption>Recorded with <code>npm run record ${recording.number}</code> (${seconds}). Secrets are shown as <code>********</code>. <a href="${escapeHtml(recording.url)}" download>Download the recording</a></figcaption>
</figure>
`;
}
