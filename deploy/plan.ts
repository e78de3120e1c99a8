/**
 * The step model shared by both targets. A plan is a list of steps; each
 * step can describe itself (what it would run or send: commands, requests,
 * files) and run. `--dry-run` prints every description and runs nothing;
 * a real run shows "[N/M] title", a spinner with the elapsed time, then the
 * step's one-line result.
 */
import type { Output } from './progress.ts';
import { formatElapsed, withTicker } from './progress.ts';

export interface StepContext {
  out: Output;
  /** Sets the live detail shown after the step's title (e.g. the Space's stage). */
  status(detail: string): void;
}

export interface Step {
  /** Stable id, used by tests and in messages ("enable-apis"). */
  id: string;
  title: string;
  /** What the step would run or send, one line each; never a secret value. */
  describe(): string[];
  /** Does the work; returns a short result ("created", "exists, skipped"). */
  run(ctx: StepContext): Promise<string | void>;
}

export interface Plan {
  target: string;
  /** Lines printed before the steps (settings summary). */
  header: string[];
  steps: Step[];
}

export function printPlan(plan: Plan, out: Output): void {
  out.line(`Dry run: ${plan.target}. Nothing is changed; these are the steps a real run takes.`);
  for (const h of plan.header) out.line(`  ${h}`);
  plan.steps.forEach((step, i) => {
    out.line(`[${i + 1}/${plan.steps.length}] ${step.title} (${step.id})`);
    for (const d of step.describe()) out.line(`      ${d}`);
  });
}

export async function runPlan(plan: Plan, out: Output): Promise<void> {
  for (const h of plan.header) out.line(h);
  const total = plan.steps.length;
  const started = Date.now();
  for (const [i, step] of plan.steps.entries()) {
    const label = `[${i + 1}/${total}] ${step.title}`;
    out.line(label);
    const t0 = Date.now();
    let detail = '';
    const ctx: StepContext = { out, status: (d) => void (detail = d) };
    const result = await withTicker(out, () => (detail ? `${label}: ${detail}` : label), () => step.run(ctx), 250);
    out.line(`      ✓ ${result || 'done'} (${formatElapsed(Date.now() - t0)})`);
  }
  out.line(`Done in ${formatElapsed(Date.now() - started)}.`);
}
