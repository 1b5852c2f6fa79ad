import { formatMinutes } from './times.ts';

/**
 * A workshop's timetable, packed from the chapters' measured times (times.ts). Each day has
 * four sessions around two breaks and lunch; a chapter is never split across a session, so
 * each session ends with its spare minutes: the room's margin for questions, helping whoever
 * is stuck, and the chapters' exercises. Chapters that do not fit are listed as homework.
 */

export interface ScheduleChapter {
  number: number;
  title: string;
  minutes: number;
}

export interface SessionTemplate {
  start: string;
  end: string;
}

/** 09:00–17:00 with a 15-minute break each half-day and an hour for lunch: 6 h 30 min of teaching. */
export const DAY: readonly SessionTemplate[] = [
  { start: '09:00', end: '10:30' },
  { start: '10:45', end: '12:30' },
  { start: '13:30', end: '15:00' },
  { start: '15:15', end: '17:00' },
];

/** Minutes of review questions (each chapter has two or three) after every chapter. */
export const REVIEW_MINUTES = 5;
/** The first morning: welcome, laptops checked, targets chosen. */
export const WELCOME = { label: 'Welcome; every laptop runs `vagrant status` (chapter 1 prerequisites)', minutes: 20 };
/** Every later morning: what happened yesterday, and everyone on the same chapter again. */
export const RECAP = { label: 'Recap; anyone behind runs `npm run chapter N -- --catch-up`', minutes: 15 };

export interface Slot {
  start: string;
  end: string;
  label: string;
  minutes: number;
  chapter?: number;
}

export interface Session {
  start: string;
  end: string;
  slots: Slot[];
  /** Minutes left at the end of the session. */
  spare: number;
}

export interface Schedule {
  days: Session[][];
  /** Chapters that did not fit. */
  left: ScheduleChapter[];
}

export function toMinutes(clock: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!m) throw new Error(`not a time of day: ${clock}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function toClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

interface Item {
  label: string;
  minutes: number;
  chapter?: number;
  source?: ScheduleChapter;
}

/**
 * Packs the chapters, in order, into `days` days of `day` sessions. A chapter takes its time
 * plus REVIEW_MINUTES; it goes into the first session, from the current one on, where it fits.
 * A chapter longer than every session gets a session of its own and overruns it (never silently:
 * its slot ends after the session's end).
 */
export function buildSchedule(
  chapters: readonly ScheduleChapter[],
  days: number,
  day: readonly SessionTemplate[] = DAY,
): Schedule {
  const queue: Item[] = chapters.map((c) => ({
    label: `${c.number}. ${c.title}`,
    minutes: c.minutes + REVIEW_MINUTES,
    chapter: c.number,
    source: c,
  }));
  const result: Session[][] = [];
  for (let d = 0; d < days; d++) {
    const sessions: Session[] = [];
    for (const [s, template] of day.entries()) {
      const start = toMinutes(template.start);
      const end = toMinutes(template.end);
      const slots: Slot[] = [];
      let now = start;
      const put = (item: Item) => {
        slots.push({
          start: toClock(now),
          end: toClock(now + item.minutes),
          label: item.label,
          minutes: item.minutes,
          chapter: item.chapter,
        });
        now += item.minutes;
      };
      if (s === 0) put(d === 0 ? WELCOME : RECAP);
      while (queue.length > 0) {
        const next = queue[0];
        const fits = now + next.minutes <= end;
        const aloneInAnySession = !slots.some((slot) => slot.chapter !== undefined) && next.minutes > end - start;
        if (!fits && !aloneInAnySession) break;
        put(next);
        queue.shift();
      }
      sessions.push({ start: template.start, end: template.end, slots, spare: Math.max(0, end - now) });
    }
    result.push(sessions);
  }
  return { days: result, left: queue.flatMap((i) => (i.source ? [i.source] : [])) };
}

/** The schedule as markdown tables, one per day, with the breaks between sessions. */
export function scheduleMarkdown(schedule: Schedule, chapterLink: (n: number) => string | undefined = () => undefined): string {
  const out: string[] = [];
  schedule.days.forEach((sessions, d) => {
    if (schedule.days.length > 1) out.push(`**Day ${d + 1}**`, '');
    out.push('| time | what | minutes |', '|---|---|---|');
    sessions.forEach((session, s) => {
      for (const slot of session.slots) {
        const link = slot.chapter !== undefined ? chapterLink(slot.chapter) : undefined;
        const label = link ? `[${slot.label}](${link})` : slot.label;
        const review = slot.chapter !== undefined ? ` (${slot.minutes - REVIEW_MINUTES} + ${REVIEW_MINUTES} review)` : '';
        out.push(`| ${slot.start}–${slot.end} | ${label} | ${slot.minutes}${review} |`);
      }
      if (session.spare > 0) {
        const from = toClock(toMinutes(session.end) - session.spare);
        out.push(`| ${from}–${session.end} | *spare: questions, helping, exercises* | ${session.spare} |`);
      }
      const next = sessions[s + 1];
      if (next) {
        const gap = toMinutes(next.start) - toMinutes(session.end);
        out.push(`| ${session.end}–${next.start} | ${gap >= 45 ? '**lunch**' : '**break**'} | ${gap} |`);
      }
    });
    out.push('');
  });
  if (schedule.left.length > 0) {
    const list = schedule.left
      .map((c) => {
        const link = chapterLink(c.number);
        return `${link ? `[${c.number}. ${c.title}](${link})` : `${c.number}. ${c.title}`} (${formatMinutes(c.minutes)})`;
      })
      .join(', ');
    out.push(`Not in this schedule, for after the workshop: ${list}.`, '');
  }
  return out.join('\n');
}

/** Minutes of chapters and review in a schedule, and its spare minutes. */
export function scheduleTotals(schedule: Schedule): { teaching: number; spare: number } {
  const sessions = schedule.days.flat();
  return {
    teaching: sessions.reduce((sum, s) => sum + s.slots.reduce((a, slot) => a + slot.minutes, 0), 0),
    spare: sessions.reduce((sum, s) => sum + s.spare, 0),
  };
}

/** The last chapter of the core cluster (a failover survived); 11–16 are the guide's further improvements. */
export const CORE_LAST_CHAPTER = 10;

/** One day: the core cluster, chapters 1–10; the improvements are left for afterwards. */
export function oneDaySchedule(chapters: readonly ScheduleChapter[]): Schedule {
  const plan = buildSchedule(
    chapters.filter((c) => c.number <= CORE_LAST_CHAPTER),
    1,
  );
  return { days: plan.days, left: [...plan.left, ...chapters.filter((c) => c.number > CORE_LAST_CHAPTER)] };
}

/** Two days: every chapter. */
export function twoDaySchedule(chapters: readonly ScheduleChapter[]): Schedule {
  return buildSchedule(chapters, 2);
}
