// Response bodies of the Outlay HTTP API, mirroring `@outlay/schema` (packages/schema/src/api.ts).

export interface RejectedRow {
  /** Position of the row in the batch that was sent. */
  index: number;
  id: string | null;
  errors: { path: string; message: string }[];
}

export interface IngestResult {
  received: number;
  accepted: number;
  /** Rows whose id the server already had: a retried batch counts here, not in `accepted`. */
  duplicates: number;
  rejected: RejectedRow[];
}

export interface ModelStats {
  predictions: number;
  labels: number;
  first_timestamp: string | null;
  last_timestamp: string | null;
}

export interface ModelSummary extends ModelStats {
  model: string;
}
