/**
 * CronJob schedules and time zones, validated the way the API server and the CronJob controller
 * read them (k8s.io/kubernetes pkg/apis/batch/validation with robfig/cron/v3's standard parser).
 * A schedule the server rejects fails `kubectl apply`; one it accepts but never fires (31 February)
 * silently never backs up. Both are caught at construction instead.
 */
import { Cron } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError, InvalidScheduleError } from '../errors';

/** The macros the CronJob controller's parser accepts. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Field bounds of robfig/cron/v3. The weekday is 0-6 there (Sunday is 0 only): `7`, accepted by
 * Vixie cron, is rejected by the API server ("end of range (7) above maximum (6)").
 */
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'weekday', min: 0, max: 6, names: DAY_NAMES },
];

/** Days in each month in the longest case (February 29). */
const MONTH_LENGTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

class FieldError extends Error {}

function parseValue(text: string, field: FieldSpec): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.min === 1 ? 1 : 0);
  if (!/^[0-9]+$/.test(text)) {
    const allowed = field.names ? `a number or a name ${field.names[0].toUpperCase()}-${field.names[field.names.length - 1].toUpperCase()}` : 'a number';
    throw new FieldError(`${field.name} "${text}" is not ${allowed}`);
  }
  const value = Number(text);
  if (value < field.min || value > field.max) {
    const hint = field.name === 'weekday' && value === 7 ? ' (the CronJob controller takes Sunday as 0 only)' : '';
    throw new FieldError(`${field.name} ${value} is out of range ${field.min}-${field.max}${hint}`);
  }
  return value;
}

/** The values one field selects, or a FieldError saying what is wrong with it. */
function parseField(text: string, field: FieldSpec): Set<number> {
  const values = new Set<number>();
  if (text === '') throw new FieldError(`${field.name} is empty`);
  for (const part of text.split(',')) {
    if (part === '') throw new FieldError(`${field.name} "${text}" has an empty list item`);
    const slash = part.split('/');
    if (slash.length > 2) throw new FieldError(`${field.name} "${part}" has more than one "/"`);
    const [range, stepText] = slash;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) throw new FieldError(`${field.name} step "${stepText}" in "${part}" must be a whole number >= 1`);
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      if (range === '?' && field.name !== 'day of month' && field.name !== 'weekday') throw new FieldError(`${field.name} "?" is only allowed for day of month and weekday`);
      [start, end] = [field.min, field.max];
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new FieldError(`${field.name} "${part}" has more than one "-"`);
      start = parseValue(bounds[0], field);
      // robfig: "N/step" means N-max/step.
      end = bounds.length === 2 ? parseValue(bounds[1], field) : stepText !== undefined ? field.max : start;
      if (start > end) throw new FieldError(`${field.name} range "${range}" starts after it ends`);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

/**
 * Why the CronJob API would reject this schedule or never run it, or undefined when it is fine.
 * Accepts five fields (minute hour day-of-month month weekday) with `*`, `?`, lists, ranges,
 * steps and month/day names, or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight,
 * @hourly.
 */
export function cronScheduleProblem(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed === '') return 'is empty';
  if (/^(CRON_)?TZ=/i.test(trimmed)) return 'sets a time zone with a TZ= or CRON_TZ= prefix, which the API server rejects; pass the timeZone prop instead';
  if (trimmed.startsWith('@')) {
    if (MACROS[trimmed] !== undefined) return undefined;
    return `uses the unknown macro "${trimmed.split(/\s+/)[0]}"; use one of ${Object.keys(MACROS).join(', ')} or five fields`;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} field(s); a CronJob schedule has exactly 5 (minute hour day-of-month month weekday)`;
  const parsed: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    try {
      parsed.push(parseField(fields[i], FIELDS[i]));
    } catch (e) {
      if (e instanceof FieldError) return e.message;
      throw e;
    }
  }
  // A day-of-month that no selected month has never fires, unless the weekday field also selects
  // days (robfig ORs the two day fields when neither is "*").
  const [, , days, months] = parsed;
  const weekdayIsStar = fields[4] === '*' || fields[4] === '?';
  const longest = Math.max(...[...months].map((m) => MONTH_LENGTH[m - 1]));
  if (weekdayIsStar && Math.min(...days) > longest) {
    return `never runs: day of month ${fields[2]} does not occur in month ${fields[3]}`;
  }
  return undefined;
}

/**
 * When a scheduled job runs: a cdk8s `Cron` or a cron expression string, validated when a
 * construct uses it (so the error names the construct).
 *
 * ```ts
 * BackupSchedule.cron(Cron.daily())
 * BackupSchedule.cron(Cron.schedule({ minute: '30', hour: '2' }))
 * BackupSchedule.expression('0 3 * * MON-FRI')
 * BackupSchedule.expression('@weekly')
 * ```
 */
export class BackupSchedule {
  /** From a cdk8s Cron, e.g. `Cron.daily()` or `Cron.schedule({ minute: '0', hour: '3' })`. */
  public static cron(cron: Cron): BackupSchedule {
    return new BackupSchedule(cron.expressionString);
  }

  /** From a five-field cron expression or a macro such as `@daily`. */
  public static expression(expression: string): BackupSchedule {
    return new BackupSchedule(expression);
  }

  private constructor(
    /** The expression as written into `spec.schedule`. */
    public readonly expressionString: string,
  ) {}

  /** Why the schedule is invalid, or undefined. */
  public problem(): string | undefined {
    return cronScheduleProblem(this.expressionString);
  }

  /**
   * Throws `<path>: schedule "<expr>" is invalid: <reason>` when the schedule is invalid.
   * @param prop the prop to name in the error
   */
  public validate(scope: IConstruct, prop = 'schedule'): void {
    const problem = this.problem();
    if (problem) throw new InvalidScheduleError(scope, prop, this.expressionString, problem);
  }

  /** A cdk8s Cron whose expression is exactly this schedule (macros stay macros). */
  public toCron(): Cron {
    return new ExpressionCron(this.expressionString.trim());
  }
}

/** A cdk8s Cron carrying an expression verbatim (Cron itself only builds from fields). */
class ExpressionCron extends Cron {
  public readonly expressionString: string;
  constructor(expression: string) {
    super();
    this.expressionString = expression;
  }
}

/** Why a CronJob `timeZone` would be rejected (or misread), or undefined when it is a valid IANA name. */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (timeZone.toLowerCase() === 'local') return 'is "Local", which the API server rejects: it would follow the controller\'s clock';
  if (timeZone === 'UTC' || supportedTimeZones().has(timeZone)) return undefined;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return 'is not an IANA time zone name such as "Europe/Berlin" or "UTC"';
  }
  // Intl matches names case-insensitively; the controller loads tzdata files by exact name.
  // Aliases (Asia/Kolkata for ICU's Asia/Calcutta) and Etc/* names exist in tzdata too.
  if (resolved === timeZone || /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(timeZone)) return undefined;
  return `is not spelled as in the IANA database (did you mean "${resolved}"?)`;
}

let zones: Set<string> | undefined;
function supportedTimeZones(): Set<string> {
  // Intl.supportedValuesOf is ES2022 (Node 18+); the library targets ES2020 typings.
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  zones ??= new Set(intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : []);
  return zones;
}

/** Throws a ConfigurationError when `timeZone` is not a valid IANA name. */
export function validateTimeZone(scope: IConstruct, prop: string, timeZone: string): void {
  const problem = timeZoneProblem(timeZone);
  if (problem) throw new ConfigurationError(scope, prop, problem, timeZone, 'Use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC".');
}

/** The window `longestRunSpan` walks starts on 2024-01-01, a Monday (weekday 1). */
const SPAN_WINDOW_START = { year: 2024, weekday: 1 };
/** 128 years: every weekday/date/leap-year alignment, and the skipped leap day of 2100. */
const SPAN_WINDOW_YEARS = 128;
const MINUTES_PER_DAY = 24 * 60;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && !leap ? 28 : MONTH_LENGTH[month - 1];
}

/** Whether a field selects "every" in robfig's sense (`*` or `?` without a step > 1), which changes how the two day fields combine. */
function hasStar(text: string): boolean {
  return text.split(',').some((part) => {
    const [range, step] = part.split('/');
    return (range === '*' || range === '?') && (step === undefined || Number(step) <= 1);
  });
}

/**
 * The longest time, in minutes, that `intervals` consecutive intervals between runs of a valid
 * schedule cover (Infinity when the window below holds fewer runs than that).
 *
 * Why: a CronJob keeps the newest N finished Jobs (its history limits); just before run k+1
 * finishes and the oldest is deleted, that oldest Job, run k-N+1, finished about
 * t(k+1) - t(k-N+1) ago: N consecutive intervals. A TTL shorter than the longest such span
 * deletes Jobs the history limits promise to keep. With `intervals` 1 this is the schedule's
 * longest gap (its period, for a regular schedule): 60 for hourly, 1440 for daily.
 *
 * How: every run happens at one of the same minutes of the day (hours x minutes) on each day
 * that matches (month, day of month, weekday, combined like robfig/cron: AND when either day
 * field is "*", OR otherwise). The days are walked over a fixed 128-year window starting
 * 2024-01-01, so the answer is deterministic and covers every alignment of weekdays, month
 * lengths and leap years. Times are wall-clock: a daylight-saving change in the CronJob's time
 * zone can make one real span an hour longer or shorter, which this ignores.
 */
export function longestRunSpan(expression: string, intervals: number): number {
  if (intervals <= 0) return 0;
  const trimmed = expression.trim();
  const fields = (MACROS[trimmed] ?? trimmed).split(/\s+/);
  const [minutes, hours, days, months, weekdays] = fields.map((text, i) => parseField(text, FIELDS[i]));
  const times = [...hours].flatMap((h) => [...minutes].map((m) => h * 60 + m)).sort((a, b) => a - b);
  const and = hasStar(fields[2]) || hasStar(fields[4]);
  const runDays: number[] = [];
  // A calendar walked by hand (Date objects cost ~30 ms for the window).
  let [year, month, date, weekday] = [SPAN_WINDOW_START.year, 1, 1, SPAN_WINDOW_START.weekday];
  for (let d = 0; d < SPAN_WINDOW_YEARS * 366; d++) {
    if (year >= SPAN_WINDOW_START.year + SPAN_WINDOW_YEARS) break;
    if (months.has(month)) {
      const dom = days.has(date);
      const dow = weekdays.has(weekday);
      if (and ? dom && dow : dom || dow) runDays.push(d);
    }
    weekday = (weekday + 1) % 7;
    if (++date > daysInMonth(year, month)) {
      date = 1;
      if (++month > 12) [month, year] = [1, year + 1];
    }
  }
  // Run i is on runDays[floor(i / m)] at times[i % m]: a span of `intervals` from run i crosses
  // q = floor((i % m + intervals) / m) day boundaries, so it is the widest q-day step plus the
  // time-of-day difference.
  const m = times.length;
  const widestDayStep = new Map<number, number>();
  const dayStep = (q: number): number | undefined => {
    if (!widestDayStep.has(q)) {
      let widest: number | undefined;
      for (let j = 0; j + q < runDays.length; j++) widest = Math.max(widest ?? 0, runDays[j + q] - runDays[j]);
      widestDayStep.set(q, widest ?? -1);
    }
    const step = widestDayStep.get(q)!;
    return step < 0 ? undefined : step;
  };
  let longest: number | undefined;
  for (let r = 0; r < m; r++) {
    const q = Math.floor((r + intervals) / m);
    const step = dayStep(q);
    if (step === undefined) continue;
    const span = step * MINUTES_PER_DAY + times[(r + intervals) % m] - times[r];
    longest = Math.max(longest ?? 0, span);
  }
  return longest ?? Infinity;
}
