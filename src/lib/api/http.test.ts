import { describe, expect, it } from 'vitest';
import { retryHint } from './http.ts';

describe('retryHint', () => {
  it('says when to try again, once', () => {
    // The server's own messages already carry the wait: no second sentence under them.
    expect(retryHint({ code: 'rate_limited', message: 'Too many requests from this client; try again in 27 s.', retryAfterSeconds: 27 })).toBeNull();
    expect(retryHint({ code: 'queue_full', message: 'The model is busy; try again in about 40 s.', retryAfterSeconds: 40 })).toBeNull();
    // A message without the wait gets the hint (rounded up to whole seconds).
    expect(retryHint({ code: 'shutting_down', message: 'The server is shutting down; retry in a few seconds.', retryAfterSeconds: 10 })).toBe('Try again in 10 s.');
    expect(retryHint({ code: 'http_503', message: 'The server answered 503.', retryAfterSeconds: 2.5 })).toBe('Try again in 3 s.');
    expect(retryHint({ code: 'model_unavailable', message: 'No model.' })).toBeNull();
  });
});
