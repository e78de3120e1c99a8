/**
 * Short confirmations ("Markdown copied") and failures, shown where the action
 * happened: each place (the export bar, the API dialog) has a line reserved for
 * its notice (Notices.svelte), so a notice never floats over a control. One
 * notice per place: a new one replaces the old, so the reserved line is enough.
 * Confirmations go after a few seconds; failures stay until dismissed or replaced
 * (a message that vanishes on a timer can be missed). A notice that holds the
 * keyboard focus does not time out.
 */
export type ToastPlace = 'export' | 'api';

export interface Toast {
  id: number;
  place: ToastPlace;
  message: string;
  kind: 'info' | 'error';
}

const state = $state<{ toasts: Toast[] }>({ toasts: [] });
let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();
const durations = new Map<number, number>();
/** The control that was focused when the notice came: where the focus returns when it is dismissed. */
const openers = new Map<number, HTMLElement>();

/** How long a confirmation stays (ms). */
export const INFO_MS = 4000;

export const toasts = {
  get list(): readonly Toast[] {
    return state.toasts;
  },
  at(place: ToastPlace): Toast | undefined {
    return state.toasts.find((t) => t.place === place);
  },
};

function forget(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  durations.delete(id);
  openers.delete(id);
}

function arm(id: number): void {
  const ms = durations.get(id);
  if (!ms) return;
  clearTimeout(timers.get(id));
  timers.set(id, setTimeout(() => dismiss(id), ms));
}

export interface NotifyOptions {
  kind?: Toast['kind'];
  /** How long it stays (ms); 0: until dismissed or replaced. Default: INFO_MS for info, 0 for errors. */
  ms?: number;
  /** Where the focus goes when it is dismissed (default: the element focused now). */
  opener?: Element | null;
}

/** Shows `message` at `place`, replacing what was there. */
export function notify(place: ToastPlace, message: string, opts: NotifyOptions = {}): number {
  const kind = opts.kind ?? 'info';
  for (const old of state.toasts.filter((t) => t.place === place)) forget(old.id);
  const id = next++;
  state.toasts = [...state.toasts.filter((t) => t.place !== place), { id, place, message, kind }];
  durations.set(id, opts.ms ?? (kind === 'info' ? INFO_MS : 0));
  const opener = opts.opener !== undefined ? opts.opener : typeof document === 'undefined' ? null : document.activeElement;
  if (opener instanceof HTMLElement && opener !== document.body) openers.set(id, opener);
  arm(id);
  return id;
}

/** The notice holds the focus (or the pointer): it waits. */
export function hold(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
}

/** Focus and pointer left: the time starts again. */
export function release(id: number): void {
  if (state.toasts.some((t) => t.id === id)) arm(id);
}

/** Removes the notice; returns the control that was focused when it came, if it is still in the page. */
export function dismiss(id: number): HTMLElement | null {
  const opener = openers.get(id) ?? null;
  forget(id);
  state.toasts = state.toasts.filter((t) => t.id !== id);
  return opener?.isConnected ? opener : null;
}
