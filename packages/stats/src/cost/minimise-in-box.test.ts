import { describe, expect, it } from 'vitest';
import { minimiseInBox } from './minimise-in-box.js';

describe('minimiseInBox', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1) inside the box', () => {
    const rosenbrock = ([x, y]: number[]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2;
    const result = minimiseInBox(rosenbrock, [-1.2, 1], [-2, -2], [2, 2], { maxIterations: 5000 });
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('stops on the edge when the unconstrained minimum lies outside the box', () => {
    // (x − 3)² + (y + 1)² over [0, 1]²: the closest point of the box is (1, 0), value 4 + 1.
    const result = minimiseInBox(([x, y]) => (x! - 3) ** 2 + (y! + 1) ** 2, [0.5, 0.5], [0, 0], [1, 1]);
    expect(result.x).toEqual([1, 0]);
    expect(result.value).toBe(5);
  });
});
