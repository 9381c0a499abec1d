/** The shape of golden.ts, written by make-golden.py. */
export type GoldenInput =
  | { type: 'sample'; values: number[] }
  | { type: 'bins'; counts: number[] }
  | { type: 'categories'; counts: Record<string, number> };

export interface GoldenMethodCase {
  method: string;
  name: string;
  reference: GoldenInput;
  current: GoldenInput;
  score: number;
  pValue: number | null;
}

export interface DriftGolden {
  scipy: string;
  numpy: string;
  methodCases: GoldenMethodCase[];
  /** [x, erfc(x)] */
  erfc: [number, number][];
  /** [x, degrees of freedom, chi2.sf] */
  chiSquareSf: [number, number, number][];
  /** [n, x, kstwo.sf(x, n)] */
  kolmogorovSf: [number, number, number][];
  /** [n, x, smirnov(n, x)] */
  smirnovSf: [number, number, number][];
}
