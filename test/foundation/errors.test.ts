import { Testing } from 'cdk8s';
import { Errors, ConfigurationError, ConflictingPropsError, InvalidScheduleError } from '../../lib/errors';

describe('one error hierarchy', () => {
  const chart = Testing.chart();
  test('a ConfigurationError names the path, the prop, the value and the fix', () => {
    const error = new ConfigurationError(chart, 'replicas', 'must be >= 1', 0, 'Use 3.');
    expect(error.message).toBe('test: replicas must be >= 1 (got 0). Use 3.');
    expect(error.name).toBe('ConfigurationError');
    expect([error.where, error.prop]).toEqual(['test', 'replicas']);
  });
  test('every specific error is a ConfigurationError, and Errors recognises each (jsii languages cannot instanceof)', () => {
    const conflict = new ConflictingPropsError(chart, ['a is set', 'b is set']);
    const schedule = new InvalidScheduleError(chart, 'schedule', '0 25 * * *', 'hour 25 is out of range 0-23');
    expect(conflict).toBeInstanceOf(ConfigurationError);
    expect(schedule).toBeInstanceOf(ConfigurationError);
    expect(conflict.message).toBe('test: 2 configuration problem(s):\n  - a is set\n  - b is set');
    expect(conflict.problems).toEqual(['a is set', 'b is set']);
    expect([Errors.isConfigurationError(conflict), Errors.isConflictingPropsError(conflict), Errors.isInvalidScheduleError(conflict)]).toEqual([true, true, false]);
    expect([Errors.isConfigurationError(schedule), Errors.isInvalidScheduleError(schedule)]).toEqual([true, true]);
    expect(Errors.isConfigurationError(new Error('other'))).toBe(false);
  });
});
