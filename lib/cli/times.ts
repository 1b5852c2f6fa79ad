import { ROOT } from '../paths.ts';
import { generatedBlock, type TimesContext } from '../site/generated.ts';
import { loadMeasuredTimes } from '../site/measured-times.ts';
import { loadChapterSources, titleWithoutNumber } from '../site/sources.ts';
import { chapterTimes } from '../site/times.ts';
import { parseTimesArgs } from '../site/times-args.ts';
import { main } from './errors.ts';

/**
 * `npm run times [-- one-day|two-day]`: each chapter's time, measured (lib/site/times.ts), and the
 * workshop schedules built from it, as the instructor's page shows them. Reads files only.
 */
await main(async () => {
  const which = parseTimesArgs(process.argv.slice(2));
  const sources = await loadChapterSources(`${ROOT}/chapters`);
  const measured = await loadMeasuredTimes();
  const times = chapterTimes(sources, measured);
  const context: TimesContext = {
    chapters: sources.map((s, i) => ({
      number: s.number,
      title: titleWithoutNumber(s.title),
      minutes: times[i].minutes,
      time: times[i],
    })),
    source: measured.source,
    fallback: measured.fallback,
  };
  const none = () => undefined;
  const blocks = which.length ? which.map((w) => `schedule ${w}`) : ['chapter-times', 'schedule one-day', 'schedule two-day'];
  for (const name of blocks) {
    console.log(`## ${name === 'chapter-times' ? 'Time per chapter' : name.replace('schedule ', 'Schedule, ')}\n`);
    console.log(generatedBlock(name, context, none));
  }
  return 0;
});
