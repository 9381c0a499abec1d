interface EmptyStateProps {
  /** Where this dashboard is served from, so the commands point at this very server. */
  origin: string;
  project: string;
}

/** Shown while a project has no predictions: what to send, and how. */
export function EmptyState({ origin, project }: EmptyStateProps) {
  const createKey = `npx outlay keys create --project ${project} --role ingest --server ${origin}`;
  const curl = [
    `curl -X POST ${origin}/v1/predictions \\`,
    `  -H "Authorization: Bearer $OUTLAY_KEY" \\`,
    `  -H 'Content-Type: application/x-ndjson' \\`,
    `  --data-binary @batch.ndjson`,
  ].join('\n');
  const ndjsonLine =
    '{"id":"p1","model":"fraud-v2","timestamp":"2026-01-01T00:00:00Z","features":{"amount":12.5},"prediction":1,"score":0.8}';
  const cli = `npx outlay ingest predictions.parquet --model fraud-v2 --server ${origin} --key "$OUTLAY_KEY"`;

  return (
    <section className="card empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No predictions yet</h2>
      <p>
        Send your model's first predictions with a key that has the role <strong>ingest</strong>. They appear here
        within 10 seconds.
      </p>
      <h3>1. Get an ingest key (with the admin key), and set it as OUTLAY_KEY</h3>
      <pre className="command">{createKey}</pre>
      <h3>2. Send predictions over HTTP, one JSON object per line</h3>
      <pre className="command">{curl}</pre>
      <p className="muted">
        where each line of <code>batch.ndjson</code> looks like
      </p>
      <pre className="command">{ndjsonLine}</pre>
      <h3>… or from a CSV, Parquet or NDJSON file with the CLI</h3>
      <pre className="command">{cli}</pre>
    </section>
  );
}
