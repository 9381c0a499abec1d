export { erlangB, erlangC, erlangCFromB, nextErlangB } from './erlang-c.js';
export {
  mmcMeanWait,
  mmcSojournCdf,
  mmcSojournQuantile,
  mmcSojournSurvival,
  mmcUtilization,
  sojournQuantile,
  sojournSurvival,
} from './mmc-queue.js';
export type { MmcQueue, WaitMixture } from './mmc-queue.js';
export { capacityPlan } from './capacity-plan.js';
export type { CapacityPlan, CapacityPlanInput } from './capacity-plan.js';
