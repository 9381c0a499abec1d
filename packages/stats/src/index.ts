export { choleskySolve } from './cholesky-solve.js';
export { fitLogisticRegression } from './fit-logistic-regression.js';
export type { DesignMatrix, LogisticRegressionModel, LogisticRegressionOptions } from './fit-logistic-regression.js';
export { logLoss } from './log-loss.js';
export { predictLogistic, sigmoid } from './predict-logistic.js';
export type { LogisticCoefficients } from './predict-logistic.js';
export { maxF1Threshold } from './max-f1-threshold.js';
export type { F1Threshold } from './max-f1-threshold.js';
