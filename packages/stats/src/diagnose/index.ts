export { classifyFailure, FAILURE_TYPES } from './classify-failure.js';
export type { BadDataEvidence, ClassifyFailureOptions, FailureEvidence, FailureType, FailureVerdict, InteractionEvidence, RootCauseEvidence } from './classify-failure.js';
