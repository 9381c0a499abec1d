export { symmetricEigen } from './symmetric-eigen.js';
export type { SymmetricEigen } from './symmetric-eigen.js';
export { reconstructionDrift } from './reconstruction-drift.js';
export type { MultivariateColumn, ReconstructionChunk, ReconstructionDrift, ReconstructionDriftOptions } from './reconstruction-drift.js';
