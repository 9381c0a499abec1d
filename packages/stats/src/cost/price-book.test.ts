import { describe, expect, it } from 'vitest';
import { defaultPriceCatalogue } from './default-price-catalogue.js';
import { mergePriceBooks, priceAt, type PriceEntry, type PriceKey } from './price-book.js';

const g5: PriceKey = { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'g5.xlarge', purchase_option: 'on_demand' };
const entry = (price: number | null, from: string, over: Partial<PriceEntry> = {}): PriceEntry => ({ ...g5, price_per_hour_usd: price, effective_from: from, ...over });

describe('priceAt', () => {
  const book = [entry(1.2, '2025-01-01'), entry(1.0, '2026-01-01'), entry(0.9, '2026-07-01')];

  it('prices history at the price then in force', () => {
    expect(priceAt(book, g5, '2025-06-30')).toMatchObject({ status: 'found', price_per_hour_usd: 1.2, effective_from: '2025-01-01' });
    expect(priceAt(book, g5, '2026-01-01')).toMatchObject({ status: 'found', price_per_hour_usd: 1.0 });
    expect(priceAt(book, g5, new Date(Date.UTC(2026, 8, 1)))).toMatchObject({ status: 'found', price_per_hour_usd: 0.9 });
  });

  it('reports a missing price with what it looked for, never $0', () => {
    const spot = { ...g5, purchase_option: 'spot' as const };
    const missing = priceAt(book, spot, '2026-03-01');
    expect(missing).toEqual({
      status: 'missing',
      looked_for: { ...spot, at: '2026-03-01' },
      reason: 'no_price_for_key',
      message: 'no price for aws AmazonEC2 g5.xlarge (spot) in us-east-1 on 2026-03-01: add one to the price book',
    });
    expect(priceAt(book, { ...g5, region: 'eu-west-1' }, '2026-03-01').status).toBe('missing');
  });

  it('says when the first price comes after the date asked about', () => {
    expect(priceAt(book, g5, '2024-12-31')).toMatchObject({ status: 'missing', reason: 'not_yet_in_force', message: expect.stringContaining('effective from 2025-01-01') });
  });

  it('treats a null price as withdrawn from its date', () => {
    const withdrawn = [...book, entry(null, '2026-10-01')];
    expect(priceAt(withdrawn, g5, '2026-09-30')).toMatchObject({ status: 'found', price_per_hour_usd: 0.9 });
    expect(priceAt(withdrawn, g5, '2026-10-01')).toMatchObject({ status: 'missing', reason: 'withdrawn' });
  });

  it('lets a later book override an earlier one for the same key and date', () => {
    const merged = mergePriceBooks(book, [entry(0.75, '2026-07-01')]);
    expect(priceAt(merged, g5, '2026-08-01')).toMatchObject({ status: 'found', price_per_hour_usd: 0.75 });
  });

  it('refuses a negative price or a malformed date, naming the entry', () => {
    expect(() => mergePriceBooks([entry(-1, '2026-01-01')])).toThrow(/price book 1, entry 1 \(aws g5.xlarge\): price_per_hour_usd must be/);
    expect(() => mergePriceBooks(book, [entry(1, '01/02/2026')])).toThrow(/price book 2, entry 1 .*effective_from must be YYYY-MM-DD/);
  });
});

describe('defaultPriceCatalogue', () => {
  it('gives every price a source URL and date, and a positive number', () => {
    expect(defaultPriceCatalogue.length).toBeGreaterThan(5);
    for (const e of defaultPriceCatalogue) {
      expect(e.source?.url).toMatch(/^https:\/\//);
      expect(e.source?.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.price_per_hour_usd).toBeGreaterThan(0);
    }
    expect(() => mergePriceBooks(defaultPriceCatalogue)).not.toThrow();
  });

  it('prices a g5.xlarge on demand at the published $1.006 an hour', () => {
    expect(priceAt(defaultPriceCatalogue, g5, '2026-11-28')).toMatchObject({ status: 'found', price_per_hour_usd: 1.006 });
  });

  it('holds each key once, and commitments below on-demand', () => {
    const keys = defaultPriceCatalogue.map((e) => `${e.vendor}/${e.region}/${e.instance}/${e.purchase_option}/${e.effective_from}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const instance of ['a2-highgpu-1g', 'g2-standard-4']) {
      const price = (option: PriceKey['purchase_option']) => {
        const found = priceAt(defaultPriceCatalogue, { vendor: 'gcp', service: 'ComputeEngine', region: 'us-central1', instance, purchase_option: option }, '2026-01-01');
        if (found.status !== 'found') throw new Error(found.message);
        return found.price_per_hour_usd;
      };
      expect(price('commit_3y')).toBeLessThan(price('commit_1y'));
      expect(price('commit_1y')).toBeLessThan(price('on_demand'));
      expect(price('spot')).toBeLessThan(price('on_demand'));
    }
  });
});
