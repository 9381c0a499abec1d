import { ProjectConfig } from '@outlay/schema';
import type { Store } from '@outlay/store';

/**
 * The demo project's config: what the delay model's errors cost, the segments to slice by, priors for root
 * causes, and one monitor. Illustrative prices for an airline operations team, not measured ones: a delay the
 * model missed (false negative) costs a late crew swap and rebooking, about $150 a flight; a delay it warned
 * of that did not happen (false positive) costs a standby crew and gate change held for nothing, about $40.
 */
export function demoProjectConfig(model: string): ProjectConfig {
  return ProjectConfig.parse({
    models: [
      {
        name: model,
        task: 'binary',
        positive_class: 1,
        cost: { false_negative: 150, false_positive: 40 },
        // Chicago O'Hare, the busiest origin, is a hub whose winter weather delays its flights: the share of a day's
        // flights leaving from it is a known factor to regress out (`adjust=weekday,known`).
        known_factors: ['origin=ORD'],
        segments: ['origin', 'distance_band'],
      },
    ],
    // Where a flight leaves from is a likelier cause than how far it goes.
    priors: { origin: 2, distance_band: 1 },
    monitors: [
      {
        id: 'delay-cost-weekday-adjusted',
        name: 'Business cost per 1,000 flights, weekday-adjusted',
        model,
        metric: 'business_cost_per_1k',
        window: 'day',
        adjust: ['weekday'],
        condition: { type: 'control_limits', smooth: 'ewma', reference_windows: 28 },
        min_sample: 200,
      },
    ],
  });
}

/** Writes the demo config unless the project already has one (a user's edits are never overwritten). */
export async function writeDemoProjectConfig(store: Store, project: string, model: string): Promise<boolean> {
  if ((await store.getConfig(project)) !== null) return false;
  await store.putConfig(project, demoProjectConfig(model));
  return true;
}
