/**
 * The engine folder's front door for the composition root (main.ts), the
 * CLI and the benches: builds the Engine the configuration asks for.
 * ENGINE=transformers runs the model in a worker thread (worker/client.ts),
 * so the server's event loop never waits for ONNX Runtime; the scripted
 * engine replays canned text in this thread and starts instantly.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { engineOptionsFromConfig, type TransformersEngineOptions } from './model-options.ts';
import { attachProgressBar } from './progress.ts';
import { ScriptedEngine } from './scripted.ts';
import type { Engine } from './types.ts';
import { WorkerEngine } from './worker/client.ts';

export type { ChatMessage, Engine, EngineRequest, GenerationOutput, TokenChunk } from './types.ts';
export { collectGeneration } from './stream.ts';
export { ScriptedEngine } from './scripted.ts';

export interface CreateEngineDeps {
  logger?: Logger;
  /** Queue depth for status() (`() => queue.depth`). */
  queueDepth?: () => number;
  /** Terminal progress bar while loading (default: when stdout and stderr are TTYs). */
  progressBar?: boolean;
  /** Engine options over the configuration's (tests, benches). */
  options?: Partial<TransformersEngineOptions>;
}

export async function createEngine(config: Config, deps: CreateEngineDeps = {}): Promise<Engine> {
  if (config.engine === 'scripted') {
    const outputs = config.scriptedTextFile ? [await readFile(config.scriptedTextFile, 'utf8')] : undefined;
    deps.logger?.warn('ENGINE=scripted: replaying canned text, no model (development/demo only)');
    return new ScriptedEngine({ outputs, tokenDelayMs: 15, queueDepth: deps.queueDepth, maxNewTokens: config.maxNewTokens });
  }
  const engine = new WorkerEngine(engineOptionsFromConfig(config, deps.options), { logger: deps.logger, queueDepth: deps.queueDepth });
  if (deps.progressBar ?? Boolean(process.stdout.isTTY && process.stderr.isTTY)) attachProgressBar(engine);
  return engine;
}
