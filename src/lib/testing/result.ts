/**
 * Test helper: a finished run's DiagramResult (a valid two-node flowchart, no
 * repairs), with what a test checks or needs different given in `over`.
 */
import type { DiagramResult } from '../../../common/protocol.ts';

export function diagramResult(over: Partial<DiagramResult> = {}): DiagramResult {
  return {
    code: 'flowchart TD\n  A --> B',
    diagramType: 'flowchart',
    valid: true,
    repairs: [],
    changes: [],
    retried: false,
    budgetCut: false,
    stopReason: 'eos',
    tokens: 12,
    tokensPerSecond: 40,
    timings: { queueMs: 0, loadMs: 0, firstTokenMs: 10, generationMs: 300, repairMs: 0, totalMs: 310 },
    ...over,
  };
}
