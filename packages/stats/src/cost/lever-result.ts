/**
 * What every lever returns: the saving (positive: the lever saves money; negative: it costs more), over the
 * period it names, the assumptions it rests on in words a reader can check, and the numbers behind it.
 */
export interface LeverResult<Details> {
  lever: string;
  saving_usd: number;
  /** What `saving_usd` is counted over, e.g. 'month' or 'job'. */
  per: string;
  assumptions: string[];
  details: Details;
}
