/** fast-check arbitraries of construct props, shared by the property tests and the control-plane sample. */
import * as fc from 'fast-check';
import { Duration, Size } from 'cdk8s';
import { DisruptionBudget, ResourcePreset } from '../../lib';

/** Mostly valid values, sometimes an edge or wrong one: a run with every prop valid stays common. */
export const mix = <T>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: edge, weight: 1 });
export const name = mix(fc.oneof(fc.constantFrom('db', 'orders-db', 'a', 'x'.repeat(50)), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)), fc.constantFrom('x'.repeat(53), 'Orders', 'orders_db', '-db', '9db'));
export const count = mix(fc.integer({ min: 1, max: 6 }), fc.constantFrom(-1, 0, NaN, Infinity, 2.5, 12));
export const size = mix(fc.oneof(fc.integer({ min: 1, max: 100 }).map((g) => Size.gibibytes(g)), fc.integer({ min: 1024, max: 4096 }).map((m) => Size.mebibytes(m))), fc.constantFrom(Size.gibibytes(0), Size.mebibytes(512), Size.kibibytes(1536)));
export const seconds = mix(fc.integer({ min: 15, max: 7200 }).map((s) => Duration.seconds(s)), fc.constantFrom(Duration.seconds(0), Duration.seconds(5), Duration.millis(1500)));
export const text = mix(fc.oneof(fc.constantFrom('shop', 'fast-ssd'), fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}[a-z0-9]$/)), fc.constantFrom('my shop', 'a/b', '', 'x'.repeat(64), 'Fast_SSD'));
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

export const databaseProps = fc.record({
  replicas: maybe(count), storage: maybe(size), partition: maybe(count), partOf: maybe(text), storageClassName: maybe(text),
  terminationGracePeriod: maybe(seconds), resourcePreset: maybe(fc.constantFrom(...Object.values(ResourcePreset))),
  disruptionBudget: maybe(mix(count.map((n) => DisruptionBudget.maxUnavailable(n)), fc.oneof(count.map((n) => DisruptionBudget.minAvailable(n)), fc.integer({ min: -10, max: 150 }).map((p) => DisruptionBudget.minAvailablePercent(p))))),
  image: maybe(mix(fc.constantFrom('postgres:16.4', 'redis:7.2.5', 'mysql:8.4.3', 'registry.example.com:5000/db/pg:16@sha256:' + 'a'.repeat(64)), fc.constantFrom('postgres', 'postgres:latest', 'Postgres:16', 'postgres:16.4 '))),
}, { requiredKeys: [] });

