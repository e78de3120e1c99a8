/**
 * The three Mermaid stages as describe() uses them, behind one small
 * interface so tests can time or fake them and so a signature change in
 * server/mermaid/ touches only `mermaidTools` below.
 */
import type { RepairResult, ValidateResult } from '../../common/protocol.ts';

export interface MermaidTools {
  /** The diagram in the model's text, or null when there is none; `partial` while streaming. */
  extract(text: string, partial: boolean): string | null;
  /** Mermaid's parser, as data. */
  validate(code: string): Promise<ValidateResult>;
  /** Deterministic repairs (sanitising included), validating after each. */
  repair(code: string): Promise<RepairResult>;
}
