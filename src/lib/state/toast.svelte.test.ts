import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dismiss, hold, INFO_MS, notify, release, toasts } from './toast.svelte.ts';

const messages = () => toasts.list.map((t) => `${t.place}:${t.kind}:${t.message}`);

describe('notices: one per place, confirmations time out, failures stay', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const t of [...toasts.list]) dismiss(t.id);
    vi.useRealTimers();
  });

  it('a new notice replaces the one at its place, not the others', () => {
    notify('export', 'Markdown copied');
    notify('api', 'Snippet copied');
    notify('export', 'PNG copied');
    expect(messages()).toEqual(['api:info:Snippet copied', 'export:info:PNG copied']);
    expect(toasts.at('export')?.message).toBe('PNG copied');
  });

  it('a confirmation goes after INFO_MS; the replaced one\'s timer does not remove its successor early', () => {
    notify('export', 'first');
    vi.advanceTimersByTime(INFO_MS - 100);
    notify('export', 'second');
    vi.advanceTimersByTime(200);
    expect(messages()).toEqual(['export:info:second']);
    vi.advanceTimersByTime(INFO_MS);
    expect(messages()).toEqual([]);
  });

  it('an error stays until dismissed (or replaced)', () => {
    const id = notify('export', 'Clipboard refused', { kind: 'error' });
    vi.advanceTimersByTime(60_000);
    expect(messages()).toEqual(['export:error:Clipboard refused']);
    dismiss(id);
    expect(messages()).toEqual([]);
  });

  it('held (focus or pointer inside) it waits; released, the time starts again', () => {
    const id = notify('api', 'Snippet copied');
    hold(id);
    vi.advanceTimersByTime(INFO_MS * 3);
    expect(messages()).toEqual(['api:info:Snippet copied']);
    release(id);
    vi.advanceTimersByTime(INFO_MS - 1);
    expect(messages()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(messages()).toEqual([]);
  });

  it('dismiss gives back the control that was focused when it came, if it is still in the page', () => {
    const button = document.createElement('button');
    document.body.append(button);
    button.focus();
    const id = notify('export', 'SVG downloaded');
    expect(dismiss(id)).toBe(button);
    const gone = document.createElement('button');
    document.body.append(gone);
    const id2 = notify('export', 'PNG downloaded', { opener: gone });
    gone.remove();
    expect(dismiss(id2)).toBeNull();
    button.remove();
  });
});
