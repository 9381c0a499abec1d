import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amortisationSchedule, monthlyAmortisedCost } from './amortisation.js';

const column = (rows: { depreciation_usd: number }[]) => rows.map((r) => r.depreciation_usd);

describe('amortisationSchedule', () => {
  it('charges a GPU server straight-line: (40,000 − 4,000) / 36 = 1,000 a month, plus service and breakage', () => {
    // Worked by hand: depreciable amount 40,000 − 4,000 = 36,000; over 36 months, 1,000 each;
    // the month's cost is 1,000 + 150 service + 50 breakage = 1,200; after month 12 the book is 40,000 − 12 × 1,000.
    const rows = amortisationSchedule({ costUsd: 40_000, salvageUsd: 4_000, lifePeriods: 36, servicePerPeriodUsd: 150, breakagePerPeriodUsd: 50 });
    expect(rows).toHaveLength(36);
    expect(rows.every((r) => r.depreciation_usd === 1_000 && r.cost_usd === 1_200)).toBe(true);
    expect(rows[11]!.closing_book_value_usd).toBe(28_000);
    expect(rows[35]!.closing_book_value_usd).toBe(4_000);
  });

  it('runs double declining balance and switches to straight-line when that charges more (Excel VDB)', () => {
    // Worked by hand: cost 10,000, salvage 0, 5 periods, rate 2/5 = 0.4.
    // 1: DB 0.4 × 10,000 = 4,000 (SL 10,000/5 = 2,000)        → 4,000, book 6,000
    // 2: DB 0.4 × 6,000 = 2,400 (SL 6,000/4 = 1,500)          → 2,400, book 3,600
    // 3: DB 0.4 × 3,600 = 1,440 (SL 3,600/3 = 1,200)          → 1,440, book 2,160
    // 4: DB 0.4 × 2,160 = 864 < SL 2,160/2 = 1,080: switch    → 1,080, book 1,080
    // 5: SL 1,080/1                                            → 1,080, book 0
    const rows = amortisationSchedule({ costUsd: 10_000, salvageUsd: 0, lifePeriods: 5, method: 'declining-balance' });
    const expected = [4_000, 2_400, 1_440, 1_080, 1_080];
    column(rows).forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 9));
    expect(rows[4]!.closing_book_value_usd).toBeCloseTo(0, 9);
  });

  it('stops declining balance at the salvage value', () => {
    // Worked by hand: cost 10,000, salvage 1,000, 5 periods, rate 0.4.
    // 1: 4,000 (book 6,000); 2: 2,400 (3,600); 3: 1,440 (2,160); 4: 864 vs SL (2,160 − 1,000)/2 = 580 → 864 (1,296);
    // 5: DB 518.40 would go below salvage: only 1,296 − 1,000 = 296 is left.
    const rows = amortisationSchedule({ costUsd: 10_000, salvageUsd: 1_000, lifePeriods: 5, method: 'declining-balance' });
    const expected = [4_000, 2_400, 1_440, 864, 296];
    column(rows).forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 9));
    expect(rows[4]!.closing_book_value_usd).toBeCloseTo(1_000, 9);
  });

  it('depreciates exactly cost − salvage whatever the method', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom('straight-line' as const, 'declining-balance' as const),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (cost, salvageShare, life, method, factor) => {
          const salvage = cost * salvageShare;
          const rows = amortisationSchedule({ costUsd: cost, salvageUsd: salvage, lifePeriods: life, method, decliningFactor: factor });
          const total = rows.reduce((s, r) => s + r.depreciation_usd, 0);
          return Math.abs(total - (cost - salvage)) <= 1e-9 * cost && rows.every((r) => r.depreciation_usd >= -1e-9 * cost && r.closing_book_value_usd >= salvage - 1e-9 * cost);
        },
      ),
    );
  });

  it('refuses a life of zero and a salvage above the cost', () => {
    expect(() => amortisationSchedule({ costUsd: 1_000, salvageUsd: 0, lifePeriods: 0 })).toThrow(/life must be a whole number of periods ≥ 1, got 0/);
    expect(() => amortisationSchedule({ costUsd: 1_000, salvageUsd: 0, lifePeriods: 2.5 })).toThrow(RangeError);
    expect(() => amortisationSchedule({ costUsd: 1_000, salvageUsd: 1_200, lifePeriods: 12 })).toThrow(/salvage value 1200 exceeds the cost 1000/);
    expect(() => amortisationSchedule({ costUsd: 1_000, salvageUsd: 0, lifePeriods: 12, servicePerPeriodUsd: -5 })).toThrow(/service/);
  });
});

describe('monthlyAmortisedCost', () => {
  const server = { costUsd: 12_000, salvageUsd: 0, lifeMonths: 12, inServiceDate: '2026-01-15', servicePerPeriodUsd: 100 };

  it('charges the month that contains the date: March is period 3', () => {
    // 12,000 / 12 = 1,000 depreciation + 100 service; book after three months 12,000 − 3,000.
    const march = monthlyAmortisedCost(server, '2026-03-31');
    expect(march).toMatchObject({ month: '2026-03', period: 3, depreciation_usd: 1_000, cost_usd: 1_100, book_value_usd: 9_000 });
  });

  it('charges nothing before service and after the life', () => {
    expect(monthlyAmortisedCost(server, '2025-12-31')).toMatchObject({ period: null, cost_usd: 0, book_value_usd: 12_000 });
    expect(monthlyAmortisedCost(server, '2026-12-01').period).toBe(12);
    expect(monthlyAmortisedCost(server, '2027-01-01')).toMatchObject({ period: null, cost_usd: 0, book_value_usd: 0 });
  });

  it('refuses a date it cannot read and a life of zero', () => {
    expect(() => monthlyAmortisedCost(server, 'soon')).toThrow(/date must be a date YYYY-MM-DD/);
    expect(() => monthlyAmortisedCost({ ...server, lifeMonths: 0 }, '2026-03-01')).toThrow(/life must be/);
  });
});
