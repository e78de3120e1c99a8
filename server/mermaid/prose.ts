/**
 * Does a line read like a sentence or Markdown rather than Mermaid? Used to
 * find where a diagram ends and the model's chatter resumes. Pure.
 *
 * Conservative on purpose: a line with any Mermaid operator, an indented line
 * (mindmap/timeline children) or a line starting with a lower-case keyword is
 * never prose. Callers validate before dropping anything.
 */

/** Arrows, shapes, pipes, `;` and a colon inside the line (not at its end). */
const MERMAID_SYNTAX = /-->|---|==>|-\.-|->>|-\)|--[x)o]|[[\]{}()|;]|:::|:(?!\s*$)|<\|--|\*--|o--/;
const MARKDOWN = /^(?:#{1,6}\s|\*\*|>\s|[-*+]\s|\d+[.)]\s|```|~~~)/;
const SENTENCE_END = /[.!?…。！？:：]\s*$/;
/** One or two words (any script) and a colon; what follows is checked in isLabelledSentence. */
const LABEL = /^[\p{L}\p{M}]{1,15}(?: [\p{L}\p{M}]{1,15})?\s?[:：]/u;
const ARROWS = /-->|---|==>|-\.-|->>|-\)|--[x)o]|[[\]{}()|;]|<\|--|\*--|o--/;

function isLabelledSentence(line: string): boolean {
  const label = LABEL.exec(line);
  if (!label) return false;
  const rest = line.slice(label[0].length).trim();
  if (ARROWS.test(rest) || rest.includes(':')) return false;
  const words = rest.split(/\s+/).length;
  const cjk = /[\u3040-\u30ff\u3400-\u9fff]/.test(rest) && rest.length >= 12;
  return words >= 6 || (words >= 4 && /[.!?…。！？]$/.test(rest)) || (cjk && /[。！？.]$/.test(rest));
}

export function isProseLine(line: string): boolean {
  if (line.trim() === '' || /^\s/.test(line)) return false;
  if (MARKDOWN.test(line)) return true;
  // "설명: 이 다이어그램은 …", "Note: this shows …": a label word, then a sentence.
  if (isLabelledSentence(line)) return true;
  if (MERMAID_SYNTAX.test(line)) return false;
  // Lower-case Latin start: a Mermaid keyword (participant, note, class, end, style…).
  if (/^[a-z]/.test(line)) return false;
  // A heading-like word or two ending in a colon: "Explanation:", "Remarque :", "설명:".
  if (/^[\p{Lu}\p{Lo}][\p{L}\p{M} ]{0,30}[:：]\s*$/u.test(line)) return true;
  const words = line.trim().split(/\s+/).length;
  const cjkSentence = /[\u3040-\u30ff\u3400-\u9fff]/.test(line) && /[。！？]$/.test(line.trim());
  return cjkSentence || (words >= 3 && SENTENCE_END.test(line)) || words >= 8;
}
