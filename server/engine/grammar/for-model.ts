/**
 * The grammar tables for a model folder (what the engine calls at load):
 * the tokenizer is `<dir>/tokenizer.json`, the logits width is config.json's
 * `vocab_size`, and the end-of-sequence ids are the tokenizer's plus those of
 * generation_config.json and config.json (the ids the decoders stop on).
 *
 *   const g = await loadModelGrammar({ dir, tokenizerEos: [151645], cacheDir })  // { tables, hash, built, ms, file }
 */
import path from 'node:path';
import { readLocalJson } from '../files.ts';
import { loadGrammarTables, type LoadedTables } from './cache.ts';

export async function loadModelGrammar(opts: { dir: string; tokenizerEos: Iterable<number>; cacheDir: string }): Promise<LoadedTables> {
  const eos = new Set<number>(opts.tokenizerEos);
  for (const file of ['generation_config.json', 'config.json']) {
    const v = await readLocalJson(opts.dir, file, 'eos_token_id');
    for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'number') eos.add(id);
  }
  const vocabSize = await readLocalJson(opts.dir, 'config.json', 'vocab_size');
  if (typeof vocabSize !== 'number') throw new Error(`grammar: ${path.join(opts.dir, 'config.json')} has no vocab_size`);
  return loadGrammarTables({ tokenizerJson: path.join(opts.dir, 'tokenizer.json'), vocabSize, eosIds: [...eos].sort((a, b) => a - b), cacheDir: opts.cacheDir });
}
