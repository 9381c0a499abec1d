import { clusterMixDriftOfMatrices, type ClusterMixDrift, type ClusterMixDriftOptions } from './cluster-mix-drift.js';
import { correlationDriftOfMatrices, type CorrelationDrift, type CorrelationDriftOptions, type FeaturePairChange } from './correlation-drift.js';
import { rowMatrix, sortRows, type FeatureColumns } from './row-matrix.js';

export interface ConceptDriftOptions {
  /** Features to compare, in this order; default the columns of the first reference class. */
  readonly features?: readonly string[];
  /** A class is compared when both sides have at least max(minRows, 2 × features) rows; default 30. */
  readonly minRows?: number;
  readonly correlation?: Omit<CorrelationDriftOptions, 'features'>;
  readonly clusters?: Omit<ClusterMixDriftOptions, 'features'>;
}

export interface ClassConceptDrift {
  readonly class: string;
  readonly status: 'ok' | 'insufficient_data';
  /** Why a class was not compared (too few rows on a side, or absent from a side). */
  readonly reason: string | null;
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly min_rows: number;
  /** The correlation structure or the cluster mix changed. */
  readonly drift: boolean;
  /** null when the class was not compared or there is a single feature. */
  readonly correlation: CorrelationDrift | null;
  readonly clusters: ClusterMixDrift | null;
  /** The most changed feature pairs when the correlation structure drifted; empty otherwise. */
  readonly changed_pairs: readonly FeaturePairChange[];
}

export interface ConceptDrift {
  readonly features: readonly string[];
  readonly by_class: readonly ClassConceptDrift[];
  readonly drifted_classes: readonly string[];
  readonly insufficient_classes: readonly string[];
  readonly drift: boolean;
}

/**
 * Concept drift within each class: for every class of the target (or of the prediction when labels are
 * missing), the change in the correlation structure of the numeric features (correlationDrift) and in the mix
 * of reference clusters (clusterMixDrift). Classes with too few rows on either side, or absent from one side,
 * are reported as `insufficient_data`, never dropped. Classes are listed in code-unit order of their names.
 */
export function conceptDriftByClass(
  reference: ReadonlyMap<string, FeatureColumns>,
  current: ReadonlyMap<string, FeatureColumns>,
  options: ConceptDriftOptions = {},
): ConceptDrift {
  const classes = [...new Set([...reference.keys(), ...current.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classes.length === 0) throw new RangeError('conceptDriftByClass: no classes on either side');
  const first = reference.values().next().value ?? current.values().next().value!;
  const features = options.features ?? rowMatrix(first, 'conceptDriftByClass').names;
  if (options.minRows !== undefined && !(Number.isInteger(options.minRows) && options.minRows >= 3)) {
    throw new RangeError(`conceptDriftByClass: minRows is ${options.minRows}, expected an integer ≥ 3`);
  }
  const minRows = Math.max(options.minRows ?? 30, 2 * features.length);
  const byClass = classes.map((name): ClassConceptDrift => {
    const ref = reference.has(name) ? rowMatrix(reference.get(name)!, `conceptDriftByClass: reference class "${name}"`, features) : null;
    const cur = current.has(name) ? rowMatrix(current.get(name)!, `conceptDriftByClass: current class "${name}"`, features) : null;
    const base = { class: name, reference_rows: ref?.rows ?? 0, current_rows: cur?.rows ?? 0, min_rows: minRows };
    const short = [ref === null ? 'absent from the reference' : ref.rows < minRows ? `${ref.rows} reference rows` : '', cur === null ? 'absent from the current data' : cur.rows < minRows ? `${cur.rows} current rows` : '']
      .filter((s) => s !== '')
      .join(', ');
    if (short !== '' || ref === null || cur === null) {
      return { ...base, status: 'insufficient_data', reason: `${short}; needs at least ${minRows} on each side`, drift: false, correlation: null, clusters: null, changed_pairs: [] };
    }
    const refSorted = sortRows(ref);
    const curSorted = sortRows(cur);
    const correlation = features.length >= 2 || options.correlation?.measure === 'covariance' ? correlationDriftOfMatrices(refSorted, curSorted, options.correlation) : null;
    const clusters = clusterMixDriftOfMatrices(refSorted, curSorted, options.clusters);
    return {
      ...base,
      status: 'ok',
      reason: null,
      drift: (correlation?.drift ?? false) || clusters.drift,
      correlation,
      clusters,
      changed_pairs: correlation?.drift ? correlation.top_pairs : [],
    };
  });
  const drifted = byClass.filter((c) => c.drift).map((c) => c.class);
  return {
    features,
    by_class: byClass,
    drifted_classes: drifted,
    insufficient_classes: byClass.filter((c) => c.status === 'insufficient_data').map((c) => c.class),
    drift: drifted.length > 0,
  };
}
