export { funnelDecomposition } from './funnel-decomposition.js';
export type { FunnelDecomposition, FunnelStageChange, FunnelStageCounts } from './funnel-decomposition.js';
