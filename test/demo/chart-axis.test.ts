import { describe, expect, test } from '@jest/globals';
import { niceTicks } from '../../demo/report/svg.js';

describe('chart value axis', () => {
  test.each([
    [98.1, false, [0, 20, 40, 60, 80, 100]],
    [1, true, [0, 1]],
    [7, true, [0, 2, 4, 6, 8]],
    [0.37, false, [0, 0.1, 0.2, 0.3, 0.4]],
    [2002, false, [0, 500, 1000, 1500, 2000, 2500]],
    [0, false, [0, 1]],
  ])('max %d (integers only: %s) gives round ticks from 0: %j', (max, integer, expected) => {
    expect(niceTicks(max, 5, integer)).toEqual(expected);
  });
});
