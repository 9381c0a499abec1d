import { describe, expect, it } from 'vitest';
import { withMeasuredVolume, type Volume } from './volume-api.ts';

const volume: Volume = { hours: [], total: 420, mean_per_hour: 2.5, peak_per_hour: 3, peak_to_mean: 1.2, predictions_per_month: 1825 };

describe('withMeasuredVolume', () => {
  it("sets the first scenario's predictions a month and peak-to-mean, keeping the rest", () => {
    const text = JSON.stringify({ scenarios: [{ name: 'a', volume: { predictions_per_month: 5, peak_to_mean: 3, sampling_rate: 0.5 } }, { name: 'b' }] });
    const next = JSON.parse(withMeasuredVolume(text, volume)!) as { scenarios: { name: string; volume?: Record<string, number> }[] };
    expect(next.scenarios[0]!.volume).toEqual({ predictions_per_month: 1825, peak_to_mean: 1.2, sampling_rate: 0.5 });
    expect(next.scenarios[1]).toEqual({ name: 'b' });
  });

  it('never sets a peak below the mean, and leaves text that is not a scenario file alone', () => {
    const next = JSON.parse(withMeasuredVolume('{"scenarios":[{}]}', { ...volume, peak_to_mean: null })!) as { scenarios: { volume: { peak_to_mean: number } }[] };
    expect(next.scenarios[0]!.volume.peak_to_mean).toBe(1);
    expect(withMeasuredVolume('not json', volume)).toBeNull();
    expect(withMeasuredVolume('{"scenarios":[]}', volume)).toBeNull();
  });
});
