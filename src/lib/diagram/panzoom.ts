/**
 * Pan and zoom as plain math over a view {x, y, scale}: the diagram is drawn
 * at its natural size and moved with `translate(x, y) scale(s)` from the
 * top-left corner. The component turns wheel, drag and buttons into calls.
 */
export interface View {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 8;

const clamp = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** Zooms by `factor` keeping the point (cx, cy) of the box where it is. */
export function zoomAt(v: View, factor: number, cx: number, cy: number): View {
  const scale = clamp(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
}

/** Largest scale (at most 1 unless `grow`) at which the content fits the box, centred. */
export function fit(content: { width: number; height: number }, box: { width: number; height: number }, padding = 16, grow = false): View {
  if (content.width <= 0 || content.height <= 0 || box.width <= 0 || box.height <= 0) return { x: 0, y: 0, scale: 1 };
  const raw = Math.min((box.width - 2 * padding) / content.width, (box.height - 2 * padding) / content.height);
  const scale = clamp(grow ? raw : Math.min(1, raw));
  return { scale, x: (box.width - content.width * scale) / 2, y: (box.height - content.height * scale) / 2 };
}

export function pan(v: View, dx: number, dy: number): View {
  return { ...v, x: v.x + dx, y: v.y + dy };
}
