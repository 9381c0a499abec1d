export { OutlayClient } from './outlay-client.js';
export type { OutlayClientOptions } from './outlay-client.js';
export { OutlayClientError } from './outlay-client-error.js';
export type { ClientErrorCode } from './outlay-client-error.js';
export type { FeatureValue, Label, LabelSource, Prediction, SegmentValue, Timestamp } from './prediction.js';
export type { IngestResult, ModelStats, ModelSummary, RejectedRow } from './api.js';
