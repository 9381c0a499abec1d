export * from './limits.js';
export * from './prediction.js';
export * from './cost-record.js';
export * from './project-config.js';
export * from './api.js';
export * from './issues.js';
export * from './outlay-error.js';
export * from './is-valid-prediction.js';
