import { formatShare } from '../../format.ts';
import { failureTypeTitle, type FailureVerdict } from '../../incidents-api.ts';

const typeDescriptions: Record<string, string> = {
  bad_data: 'missing values, NaN, zeros, type or unit changes in a feature',
  wrong_y: 'the labels or the labelling process changed while the inputs look the same',
  missing_features: 'error up while inputs are in range and undrifted: a variable the model does not see',
  limited_representation: 'error concentrated where the features cannot express the pattern (interactions, order)',
  extrapolation: 'inputs outside the training support: out-of-range values, new categories',
  interpolation: 'inputs inside the support, error concentrated in narrow slices',
  none: 'no significant degradation',
};

/** The six failure types (and `none`) with their likelihood and the evidence for and against each. */
export function FailureTypes({ verdicts }: { verdicts: readonly FailureVerdict[] }) {
  const [top, ...rest] = verdicts;
  if (!top) return <p className="muted">No failure type was scored.</p>;
  return (
    <div className="failure-types">
      <Verdict verdict={top} top />
      {rest.length > 0 && (
        <details className="other-verdicts">
          <summary>The other {rest.length} types and why they are less likely</summary>
          {rest.map((verdict) => (
            <Verdict key={verdict.type} verdict={verdict} top={false} />
          ))}
        </details>
      )}
    </div>
  );
}

function Verdict({ verdict, top }: { verdict: FailureVerdict; top: boolean }) {
  return (
    <article className={top ? 'verdict verdict-top' : 'verdict'} data-failure-type={verdict.type} aria-label={`Failure type ${failureTypeTitle(verdict.type)}`}>
      <header className="verdict-header">
        <h3>{failureTypeTitle(verdict.type)}</h3>
        <span className="likelihood">
          <span className="share-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(1, verdict.likelihood)) * 100}%` }} />
          </span>
          likelihood <strong>{formatShare(verdict.likelihood)}</strong>
        </span>
      </header>
      <p className="muted verdict-description">{typeDescriptions[verdict.type] ?? ''}</p>
      <div className="verdict-evidence">
        <div>
          <h4>Evidence for</h4>
          {verdict.evidence.length === 0 ? (
            <p className="muted">none</p>
          ) : (
            <ul>
              {verdict.evidence.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4>Evidence against</h4>
          {verdict.contradicting.length === 0 ? (
            <p className="muted">none</p>
          ) : (
            <ul>
              {verdict.contradicting.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </article>
  );
}
