/**
 * config.json checked before anything large is read: valid JSON, a model
 * family this engine runs (the chat template, the end-of-turn ids and the
 * fused rewrite are written for Qwen-style decoders), and the fields the
 * decoders need. A bad file is a load error that names the file and the
 * field, instead of a model that loads and then serves nonsense.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** model_type values of the Qwen decoder families (Hugging Face names). */
export const SUPPORTED_MODEL_TYPES = ['qwen3', 'qwen2', 'qwen3_moe', 'qwen2_moe'] as const;

const REQUIRED_NUMBERS = ['num_hidden_layers', 'hidden_size', 'num_attention_heads', 'vocab_size'] as const;

/** Why `raw` (the text of config.json) is not a model this engine runs, or null when it is. */
export function configProblem(raw: string): string | null {
  let config: unknown;
  try {
    config = JSON.parse(raw);
  } catch (error) {
    return `config.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return 'config.json is not a JSON object';
  const c = config as Record<string, unknown>;
  if (typeof c.model_type !== 'string') return 'config.json has no "model_type"';
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(c.model_type)) {
    return `config.json says model_type "${c.model_type.slice(0, 40)}", which this server does not run (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`;
  }
  for (const key of REQUIRED_NUMBERS) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return `config.json: "${key}" must be a positive integer (got ${JSON.stringify(v) ?? 'nothing'})`;
  }
  return null;
}

/** Throws a readable error when `dir/config.json` is missing or not a model this engine runs. */
export async function checkModelConfig(dir: string, label = dir): Promise<void> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, 'config.json'), 'utf8');
  } catch {
    throw new Error(`${label} is not a model directory: config.json is missing (expected config.json, tokenizer.json, tokenizer_config.json and onnx/model*.onnx).`);
  }
  const problem = configProblem(raw);
  if (problem) throw new Error(`${label}: ${problem}.`);
}
