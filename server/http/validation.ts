/**
 * Request checks beyond types: zod issues → one clear HttpError, and the
 * semantic rules zod cannot say well (blank description, control characters,
 * refinement fields that only make sense together).
 */
import type { ZodError } from 'zod';
import type { GenerateRequest } from '../../common/protocol.ts';
import { MAX_DESCRIPTION_CHARS, MAX_DIAGRAM_CHARS, MAX_INSTRUCTION_CHARS, MIN_MAX_NEW_TOKENS } from '../../common/limits.ts';
import { HttpError } from './errors.ts';

const LIMITS: Record<string, number> = {
  description: MAX_DESCRIPTION_CHARS,
  currentDiagram: MAX_DIAGRAM_CHARS,
  instruction: MAX_INSTRUCTION_CHARS,
  code: MAX_DIAGRAM_CHARS,
};

/** The first zod issue, said for a person. Too-long strings are 413. */
export function httpErrorFromZod(error: ZodError): HttpError {
  const issue = error.issues[0];
  if (!issue) return new HttpError('invalid_request', 'The request body is not valid.');
  const field = issue.path.length ? issue.path.join('.') : 'body';
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'too_big':
      if (i.origin === 'string') {
        return new HttpError('too_large', `\`${field}\` is too long: at most ${String(i.maximum ?? LIMITS[field])} characters.`);
      }
      return new HttpError('invalid_request', `\`${field}\` must be at most ${String(i.maximum)}.`);
    case 'too_small':
      return new HttpError('invalid_request', `\`${field}\` must be at least ${String(i.minimum)}.`);
    case 'invalid_type':
      if (i.input === undefined && /received undefined/.test(issue.message)) return new HttpError('invalid_request', `\`${field}\` is required.`);
      if (field === 'body') return new HttpError('invalid_request', 'The request body must be a JSON object.');
      return new HttpError('invalid_request', `\`${field}\` must be ${article(String(i.expected))}.`);
    case 'invalid_value':
      return new HttpError('invalid_request', `\`${field}\` must be one of: ${(i.values as unknown[]).map(String).join(', ')}.`);
    default:
      return new HttpError('invalid_request', `\`${field}\`: ${issue.message}.`);
  }
}

function article(type: string): string {
  return type === 'int' ? 'an integer' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

// C0 controls except tab, LF, CR; DEL; C1 controls. Zero-width/bidi marks are text, not control.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Half of a surrogate pair on its own (JSON's "\ud800"): not Unicode text; the tokenizer would turn it into U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function checkText(field: string, value: string | undefined): void {
  if (value === undefined) return;
  const m = CONTROL.exec(value);
  if (m) {
    const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new HttpError('invalid_request', `\`${field}\` contains a control character (U+${cp}); remove it and try again.`);
  }
  const s = LONE_SURROGATE.exec(value);
  if (s) {
    const cp = s[0].charCodeAt(0).toString(16).toUpperCase();
    throw new HttpError('invalid_request', `\`${field}\` is not valid Unicode text (a lone surrogate, U+${cp}); send it as UTF-8 text and try again.`);
  }
}

/** Semantic checks on a type-valid request; returns it with defaults resolved. */
export function checkGenerate(req: GenerateRequest, maxNewTokens: number): GenerateRequest {
  // A refinement (currentDiagram + instruction) may come without a description (docs/pipeline.md).
  const refinement = Boolean(req.currentDiagram?.trim() && req.instruction?.trim());
  if (!refinement && req.description.trim().length === 0) {
    throw new HttpError('empty_description', 'Describe the process first: the description is empty.');
  }
  checkText('description', req.description);
  checkText('instruction', req.instruction);
  checkText('currentDiagram', req.currentDiagram);
  if (req.instruction !== undefined && req.instruction.trim() && !req.currentDiagram?.trim()) {
    throw new HttpError('invalid_request', '`instruction` refines a diagram: send `currentDiagram` with it.');
  }
  if (req.maxNewTokens !== undefined && (req.maxNewTokens < MIN_MAX_NEW_TOKENS || req.maxNewTokens > maxNewTokens)) {
    throw new HttpError('invalid_request', `\`maxNewTokens\` must be between ${MIN_MAX_NEW_TOKENS} and ${maxNewTokens} on this server.`);
  }
  if (req.description.length > MAX_DESCRIPTION_CHARS) {
    throw new HttpError('too_large', `\`description\` is too long: at most ${MAX_DESCRIPTION_CHARS} characters.`);
  }
  if ((req.currentDiagram?.length ?? 0) > MAX_DIAGRAM_CHARS) {
    throw new HttpError('too_large', `\`currentDiagram\` is too long: at most ${MAX_DIAGRAM_CHARS} characters.`);
  }
  if ((req.instruction?.length ?? 0) > MAX_INSTRUCTION_CHARS) {
    throw new HttpError('too_large', `\`instruction\` is too long: at most ${MAX_INSTRUCTION_CHARS} characters.`);
  }
  const out: GenerateRequest = { description: req.description };
  if (req.diagramType !== undefined) out.diagramType = req.diagramType;
  if (req.direction !== undefined) out.direction = req.direction;
  if (req.currentDiagram?.trim()) out.currentDiagram = req.currentDiagram;
  if (req.instruction?.trim()) out.instruction = req.instruction;
  if (req.maxNewTokens !== undefined) out.maxNewTokens = req.maxNewTokens;
  return out;
}
