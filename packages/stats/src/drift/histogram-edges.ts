/**
 * Equal-width bin edges spanning both samples, numpy.histogram_bin_edges(concat(reference, current), bins)
 * (numpy 1.24 `_get_outer_edges` + linspace): a constant sample gets the range [v − 0.5, v + 0.5].
 */
export function histogramEdges(reference: Float64Array, current: Float64Array, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogramEdges: bins is ${bins}, expected an integer ≥ 1`);
  let low = Infinity;
  let high = -Infinity;
  for (const v of reference) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  for (const v of current) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new RangeError('histogramEdges: no finite values to bin');
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (high - low) / bins;
  for (let i = 0; i < bins; i++) edges[i] = low + i * step;
  edges[bins] = high;
  return edges;
}

/**
 * Counts of `values` per bin of equal-width `edges`, numpy.histogram semantics: bins are [eᵢ, eᵢ₊₁) except the
 * last, which is closed; values outside the edges are not counted.
 */
export function histogramCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const first = edges[0]!;
  const last = edges[bins]!;
  const norm = bins / (last - first);
  const counts = new Float64Array(bins);
  for (const v of values) {
    if (v < first || v > last) continue;
    // numpy's fast path for uniform bins: the computed index, then corrected against the actual edges.
    let i = Math.floor((v - first) * norm);
    if (i === bins) i--;
    if (v < edges[i]!) i--;
    else if (v >= edges[i + 1]! && i !== bins - 1) i++;
    counts[i]!++;
  }
  return counts;
}
