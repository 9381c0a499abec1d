/** Bounds every ingestion path enforces; documented in docs/api.md. */
export const limits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxRowsPerBatch: 10_000,
  maxFeaturesPerRow: 1_000,
  maxStringLength: 1_024,
  maxIdLength: 256,
  maxNameLength: 128,
} as const;
