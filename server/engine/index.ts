/**
 * The engine folder's front door for the composition root (main.ts) and the
 * CLI: builds the Engine the configuration asks for. Only ENGINE=transformers
 * touches transformers.js, and only when chosen (imported lazily), so the
 * scripted engine starts instantly.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { ScriptedEngine } from './scripted.ts';
import type { Engine } from './types.ts';

export type { ChatMessage, Engine, GenerateOptions, GenerationOutput } from './types.ts';
export { ScriptedEngine } from './scripted.ts';

export interface CreateEngineDeps {
  logger?: Logger;
  /** Queue depth for status() (`() => queue.depth`). */
  queueDepth?: () => number;
  /** Terminal progress bar override. */
  progressBar?: boolean;
}

export async function createEngine(config: Config, deps: CreateEngineDeps = {}): Promise<Engine> {
  if (config.engine === 'scripted') {
    const outputs = config.scriptedTextFile ? [await readFile(config.scriptedTextFile, 'utf8')] : undefined;
    deps.logger?.warn('ENGINE=scripted: replaying canned text, no model (development/demo only)');
    return new ScriptedEngine({ outputs, tokenDelayMs: 15, queueDepth: deps.queueDepth, maxNewTokens: config.maxNewTokens });
  }
  const { TransformersEngine, engineOptionsFromConfig } = await import('./model.ts');
  return new TransformersEngine(
    engineOptionsFromConfig(config, {
      logger: deps.logger,
      queueDepth: deps.queueDepth,
      ...(deps.progressBar !== undefined ? { progressBar: deps.progressBar } : {}),
    }),
  );
}
