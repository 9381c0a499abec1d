import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidPrediction } from './is-valid-prediction.js';
import { Prediction } from './prediction.js';

const name = fc.oneof(fc.constantFrom('amount', 'country', 'x', ''), fc.string({ maxLength: 3 }), fc.string({ minLength: 127, maxLength: 130 }));
const value = fc.oneof(
  fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 }), fc.string({ minLength: 1023, maxLength: 1026 }),
  fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 1 }),
);
const map = fc.oneof(fc.dictionary(name, value, { maxKeys: 4 }), value);
const timestamp = fc.oneof(
  fc.constantFrom('2026-01-31T12:00:00Z', '2026-01-31T12:00:00.123+02:00', '2026-13-31T12:00:00Z', '2026-01-31 12:00:00', '2026-01-31T12:00:00'),
  fc.integer({ min: -5, max: 2 ** 53 }), fc.double(), value,
);
// Each field is usually well formed and sometimes not, so that both verdicts occur often.
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
const goodMap = fc.dictionary(fc.constantFrom('amount', 'country', 'x'), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 })), { maxKeys: 3 });
const row = fc.record(
  {
    id: mostly(fc.string({ minLength: 1, maxLength: 3 }), fc.oneof(fc.string({ minLength: 255, maxLength: 258 }), value)),
    model: mostly(fc.constant('fraud'), fc.oneof(fc.constant(''), value)),
    model_version: mostly(fc.string({ maxLength: 3 }), value),
    timestamp: mostly(fc.constantFrom('2026-01-31T12:00:00Z', 1_767_225_600_000), timestamp),
    features: mostly(goodMap, map),
    prediction: mostly(fc.integer({ min: 0, max: 1 }), value),
    score: mostly(fc.double({ min: 0, max: 1, noNaN: true }), fc.oneof(fc.double({ min: -0.5, max: 1.5 }), value)),
    scores: mostly(fc.dictionary(fc.constantFrom('a', 'b'), fc.double({ min: 0, max: 1, noNaN: true })), map),
    interval: mostly(fc.tuple(fc.integer(), fc.integer()), fc.oneof(fc.tuple(fc.double(), fc.double()), fc.array(fc.double(), { maxLength: 3 }), value)),
    segments: mostly(goodMap, map),
    latency_ms: mostly(fc.double({ min: 0, max: 100, noNaN: true }), fc.oneof(fc.double({ min: -1, max: 100 }), value)),
    stage: mostly(fc.dictionary(fc.constantFrom('paid'), fc.boolean()), map),
    customer: mostly(fc.string({ maxLength: 3 }), value),
    extra: value,
  },
  { requiredKeys: [] },
);

describe('isValidPrediction', () => {
  it('never accepts a row the Prediction schema refuses, and accepts it unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(row, (r) => {
        if (isValidPrediction(r)) {
          accepted++;
          const parsed = Prediction.safeParse(r);
          expect(parsed.success).toBe(true);
          expect(parsed.data).toEqual(r);
        }
      }),
      { numRuns: 20_000, seed: 42 },
    );
    // The property says something only if the fast check accepts a fair share of rows.
    expect(accepted).toBeGreaterThan(500);
  });

  it('accepts the ordinary rows clients send', () => {
    const good = {
      id: 'tx-1', model: 'fraud', model_version: 'v2', timestamp: '2026-01-31T12:00:00Z',
      features: { amount: 12.5, country: 'FR', vip: false, age: null }, prediction: 1, score: 0.9,
      scores: { a: 0.9, b: 0.1 }, interval: [1, 2], segments: { region: 'eu' }, latency_ms: 3, stage: { paid: true }, customer: 'acme',
    };
    expect(isValidPrediction(good)).toBe(true);
    expect(isValidPrediction({ ...good, timestamp: 1_767_225_600_000 })).toBe(true);
    expect(Prediction.safeParse(good).success).toBe(true);
  });
});
