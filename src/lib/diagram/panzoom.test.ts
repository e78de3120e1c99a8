import { describe, expect, it } from 'vitest';
import { fit, MAX_SCALE, pan, zoomAt } from './panzoom.ts';

describe('pan and zoom', () => {
  it('zooms around the pointer', () => {
    const v = zoomAt({ x: 0, y: 0, scale: 1 }, 2, 100, 50);
    expect(v).toEqual({ x: -100, y: -50, scale: 2 });
    // The content point under the pointer stays under it.
    expect((100 - v.x) / v.scale).toBe(100);
  });

  it('clamps the scale', () => {
    expect(zoomAt({ x: 0, y: 0, scale: 4 }, 10, 0, 0).scale).toBe(MAX_SCALE);
  });

  it('fits and centres, never enlarging unless asked', () => {
    expect(fit({ width: 200, height: 100 }, { width: 432, height: 432 })).toEqual({ scale: 1, x: 116, y: 166 });
    expect(fit({ width: 800, height: 100 }, { width: 432, height: 432 }).scale).toBe(0.5);
    expect(fit({ width: 200, height: 100 }, { width: 432, height: 432 }, 16, true).scale).toBe(2);
  });

  it('pans', () => {
    expect(pan({ x: 1, y: 2, scale: 1 }, 3, 4)).toEqual({ x: 4, y: 6, scale: 1 });
  });
});
