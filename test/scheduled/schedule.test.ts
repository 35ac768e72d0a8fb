import { Chart, Cron, Testing } from 'cdk8s';
import { BackupSchedule, cronScheduleProblem, longestRunSpan, timeZoneProblem, validateTimeZone } from '../../lib/scheduled/schedule';

describe('valid schedules', () => {
  test.each([
    '0 3 * * *', '*/15 * * * *', '0 0 1,15 * *', '30 2 * * MON-FRI', '0 0 1 JAN,jul *', '0 12 ? * SUN', '5-55/10 0-23/2 1-31 1-12 0-6',
    '0 0 31 * *', '0 0 29 2 *', '  0  3  *  *  *  ', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '0 0 30 2 1',
  ])('%s', (expression) => {
    expect(cronScheduleProblem(expression)).toBeUndefined();
  });
  test('cdk8s Cron factories are valid and kept verbatim', () => {
    for (const cron of [Cron.daily(), Cron.hourly(), Cron.weekly(), Cron.monthly(), Cron.annually(), Cron.schedule({ minute: '30', hour: '2', weekDay: 'MON-FRI' })]) {
      expect(BackupSchedule.cron(cron).problem()).toBeUndefined();
      expect(BackupSchedule.cron(cron).toCron().expressionString).toBe(cron.expressionString);
    }
    expect(BackupSchedule.expression('@daily').toCron().expressionString).toBe('@daily');
  });
});

describe('one message per schedule problem', () => {
  test.each([
    ['0 25 * * *', /hour 25 is out of range 0-23/],
    ['60 * * * *', /minute 60 is out of range 0-59/],
    ['0 0 0 * *', /day of month 0 is out of range 1-31/],
    ['0 0 32 * *', /day of month 32 is out of range 1-31/],
    ['0 0 * 13 *', /month 13 is out of range 1-12/],
    ['0 0 * * 7', /weekday 7 is out of range 0-6 \(the CronJob controller takes Sunday as 0 only\)/],
    ['0 0 * FOO *', /month "FOO" is not a number or a name JAN-DEC/],
    ['0 0 * * MONDAY', /weekday "MONDAY" is not a number or a name SUN-SAT/],
    ['0 0 * * 5-1', /weekday range "5-1" starts after it ends/],
    ['*/0 * * * *', /minute step "0" in "\*\/0" must be a whole number >= 1/],
    ['1-2-3 * * * *', /minute "1-2-3" has more than one "-"/],
    ['0/5/2 * * * *', /minute "0\/5\/2" has more than one "\/"/],
    ['0,,5 * * * *', /minute "0,,5" has an empty list item/],
    ['? * * * *', /minute "\?" is only allowed for day of month and weekday/],
    ['0 3 * *', /has 4 field\(s\); a CronJob schedule has exactly 5/],
    ['0 0 3 * * *', /has 6 field\(s\)/],
    ['', /is empty/],
    ['@every 1h', /unknown macro "@every"/],
    ['@reboot', /unknown macro "@reboot"/],
    ['TZ=Europe/Berlin 0 3 * * *', /TZ= or CRON_TZ= prefix.*timeZone prop/],
    ['CRON_TZ=UTC 0 3 * * *', /TZ= or CRON_TZ= prefix/],
    ['0 0 30 2 *', /never runs: day of month 30 does not occur in month 2/],
    ['0 0 31 4,6 *', /never runs: day of month 31 does not occur in month 4,6/],
    ['0 0 L * *', /day of month "L" is not a number/],
  ])('%s', (expression, message) => {
    expect(cronScheduleProblem(expression)).toMatch(message);
  });

  test('validate() names the construct, the prop and the expression', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => BackupSchedule.expression('0 25 * * *').validate(chart, 'schedule'))
      .toThrow('test: schedule is invalid: hour 25 is out of range 0-23 (got "0 25 * * *"). Use five fields');
  });
});

describe('time zones', () => {
  test.each(['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/UTC', 'Etc/GMT+5', 'Asia/Kolkata', 'Asia/Calcutta'])('%s is valid', (tz) => {
    expect(timeZoneProblem(tz)).toBeUndefined();
  });
  test.each([
    ['Local', /"Local", which the API server rejects/],
    ['local', /"Local"/],
    ['Mars/Olympus_Mons', /not an IANA time zone name/],
    ['CEST', /not an IANA time zone name/],
    ['europe/berlin', /not spelled as in the IANA database \(did you mean "Europe\/Berlin"\?\)/],
    ['utc', /did you mean "UTC"/],
  ])('%s is rejected', (tz, message) => {
    expect(timeZoneProblem(tz)).toMatch(message);
  });
  test('validateTimeZone names the prop and the fix', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => validateTimeZone(chart, 'timeZone', 'Local')).toThrow(/test: timeZone is "Local".*\(got "Local"\)\. Use an IANA name/);
  });
});

describe('longestRunSpan: the longest time N consecutive intervals between runs cover (minutes)', () => {
  const HOUR = 60;
  const DAY = 24 * HOUR;
  test.each([
    ['hourly', '@hourly', 1, HOUR],
    ['hourly, 3 intervals', '0 * * * *', 3, 3 * HOUR],
    ['daily', '@daily', 1, DAY],
    ['daily at 03:00, 3 intervals', '0 3 * * *', 3, 3 * DAY],
    ['weekly', '@weekly', 1, 7 * DAY],
    ['weekly, 3 intervals', '0 4 * * SUN', 3, 21 * DAY],
    ['every 15 minutes', '*/15 * * * *', 1, 15],
    ['every 15 minutes, 3 intervals (across midnight too)', '*/15 * * * *', 3, 45],
    ['irregular: 01:00 and 05:00, longest gap 20 hours', '0 1,5 * * *', 1, 20 * HOUR],
    ['irregular: 01:00 and 05:00, 3 intervals (20 + 4 + 20 hours)', '0 1,5 * * *', 3, 44 * HOUR],
    ['weekdays: Friday to Monday', '30 2 * * MON-FRI', 1, 3 * DAY],
    ['weekdays, 3 intervals: Wednesday to Monday', '30 2 * * MON-FRI', 3, 5 * DAY],
    ['monthly: the longest month', '@monthly', 1, 31 * DAY],
    ['monthly, 3 intervals: July to October', '@monthly', 3, 92 * DAY],
    ['yearly: a leap year', '@yearly', 1, 366 * DAY],
    ['day of month OR weekday when neither is "*" (robfig)', '0 0 1 * MON', 1, 7 * DAY],
    ['day of month AND weekday when one is "*"', '0 0 * * MON', 1, 7 * DAY],
    ['29 February: 8 years across 2100, which is no leap year', '0 0 29 2 *', 1, (8 * 365 + 1) * DAY],
  ])('%s', (_name, expression, intervals, minutes) => {
    expect(longestRunSpan(expression, intervals)).toBe(minutes);
  });
  test('no intervals span nothing; more runs than the 128-year window holds span Infinity', () => {
    expect(longestRunSpan('@daily', 0)).toBe(0);
    expect(longestRunSpan('0 0 29 2 *', 40)).toBe(Infinity);
  });
  test('fast enough to run in every constructor (every minute, 1000 intervals)', () => {
    const start = Date.now();
    expect(longestRunSpan('* * * * *', 1000)).toBe(1000);
    expect(Date.now() - start).toBeLessThan(500);
  });
});
