import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../common/protocol.ts';
import { adviceFor } from './advice.ts';

describe('adviceFor', () => {
  it.each([
    [
      { code: 'model_unavailable', message: 'The model could not be loaded: cannot reach huggingface.co. Try again later.', retryAfterSeconds: 10 },
      { message: 'The model could not be loaded: cannot reach huggingface.co.', hint: null, modelHelp: true },
    ],
    [{ code: 'queue_full', message: 'The queue is full.', retryAfterSeconds: 10 }, { hint: 'Try again in 10 s.', modelHelp: false }],
    [{ code: 'rate_limited', message: 'Too many requests; try again in 4 s.', retryAfterSeconds: 4 }, { hint: null }], // already said
    [{ code: 'too_large', message: 'The description is too long.', retryAfterSeconds: 10 }, { hint: null, modelHelp: false }], // waiting cannot help
    [{ code: 'network', message: 'Could not reach the server (Failed to fetch).' }, { hint: 'Check that the server is running, then try again.' }],
  ] as [ApiError, object][])('%j', (error, advice) => {
    expect(adviceFor(error)).toMatchObject(advice);
  });
});
