import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../common/protocol.ts';
import { EventChannel } from './channel.ts';

async function drain(channel: EventChannel): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of channel) out.push(event);
  return out;
}

describe('EventChannel', () => {
  it('keeps order and coalesces what a slow reader has not taken yet', async () => {
    const channel = new EventChannel();
    channel.push({ type: 'queued', position: 3, queueLength: 3 });
    channel.push({ type: 'queued', position: 2, queueLength: 2 });
    channel.push({ type: 'started', budgetMs: 100 });
    for (let i = 1; i <= 1_000; i++) channel.push({ type: 'token', text: 'a', tokens: i });
    channel.push({ type: 'candidate', code: 'flowchart TD\n a', valid: true });
    channel.push({ type: 'candidate', code: 'flowchart TD\n a --> b', valid: true });
    channel.push({ type: 'token', text: 'b', tokens: 1_001 });
    expect(channel.pending).toBe(5);
    channel.close();
    channel.push({ type: 'token', text: 'ignored after close', tokens: 0 });
    expect(await drain(channel)).toEqual([
      { type: 'queued', position: 2, queueLength: 2 },
      { type: 'started', budgetMs: 100 },
      { type: 'token', text: 'a'.repeat(1_000), tokens: 1_000 },
      { type: 'candidate', code: 'flowchart TD\n a --> b', valid: true },
      { type: 'token', text: 'b', tokens: 1_001 },
    ]);
  });

  it('wakes a waiting reader, event by event', async () => {
    const channel = new EventChannel();
    const reading = drain(channel);
    channel.push({ type: 'started', budgetMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    channel.push({ type: 'token', text: 'x', tokens: 1 });
    channel.close();
    expect((await reading).map((e) => e.type)).toEqual(['started', 'token']);
  });
});
