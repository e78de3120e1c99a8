/**
 * For tests: one generation drained into the old one-promise shape
 * (`collectGeneration` over `engine.generate(request, signal)`), so a test
 * reads as "generate, then check the output".
 */
import { collectGeneration } from '../engine/stream.ts';
import type { ChatMessage, Engine, GenerationOutput } from '../engine/types.ts';

export interface GenOptions {
  maxNewTokens?: number;
  deadline?: number;
  signal?: AbortSignal;
  onToken?: (text: string, tokens: number) => void;
}

export function gen(engine: Pick<Engine, 'generate'>, messages: ChatMessage[], o: GenOptions = {}): Promise<GenerationOutput> {
  return collectGeneration(engine.generate({ messages, maxNewTokens: o.maxNewTokens, deadline: o.deadline }, o.signal), o.onToken);
}
