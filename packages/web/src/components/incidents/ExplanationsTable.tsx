import { formatShare } from '../../format.ts';
import { formatSlice, type Explanation, type Slice } from '../../incidents-api.ts';
import { evidenceLabel, formatEvidenceValue } from './incident-format.ts';

interface ExplanationsTableProps {
  explanations: readonly Explanation[];
  rootCauses: readonly Slice[];
}

const sameSlice = (a: Slice, b: Slice) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

const kindTitles: Record<string, string> = {
  rate: 'the error got worse inside the slice',
  mix: "the slice's share of traffic moved",
  volume: "the slice's volume changed",
};

/**
 * Explanations ranked by posterior (prior × how well the slice accounts for the data), each with the share of
 * the change it explains on its own and the numbers behind it.
 */
export function ExplanationsTable({ explanations, rootCauses }: ExplanationsTableProps) {
  return (
    <div className="table-scroll">
      <table className="models-table explanations-table">
        <caption className="visually-hidden">Ranked explanations of the change</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col">Slice</th>
            <th scope="col">Kind</th>
            <th scope="col">Explained share</th>
            <th scope="col" className="num">
              Prior
            </th>
            <th scope="col" className="num">
              Posterior
            </th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {explanations.map((e) => {
            const isRootCause = rootCauses.some((r) => sameSlice(r, e.slice));
            const evidence = Object.entries(e.evidence);
            return (
              <tr key={e.rank} data-rank={e.rank}>
                <td className="num">{e.rank}</td>
                <th scope="row" className="wrap">
                  <span className="slice-text">{formatSlice(e.slice)}</span>
                  {isRootCause && <span className="badge badge-cause">root cause</span>}
                </th>
                <td title={kindTitles[e.kind] ?? e.kind}>{e.kind}</td>
                <td className="share-cell">
                  <span className="share-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0, Math.min(1, e.explained_share)) * 100}%` }} />
                  </span>
                  <span className="explained-share">{formatShare(e.explained_share)}</span>
                </td>
                <td className="num">{formatShare(e.prior)}</td>
                <td className="num">{formatShare(e.posterior)}</td>
                <td className="wrap">
                  {evidence.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <details>
                      <summary>{evidence.length} numbers</summary>
                      <dl className="evidence-list">
                        {evidence.map(([key, value]) => (
                          <div key={key}>
                            <dt>{evidenceLabel(key)}</dt>
                            <dd>{formatEvidenceValue(key, value)}</dd>
                          </div>
                        ))}
                      </dl>
                    </details>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
