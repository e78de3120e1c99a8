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

export function isProseLine(line: string): boolean {
  if (line.trim() === '' || /^\s/.test(line)) return false;
  if (MARKDOWN.test(line)) return true;
  if (MERMAID_SYNTAX.test(line)) return false;
  // Lower-case Latin start: a Mermaid keyword (participant, note, class, end, style…).
  if (/^[a-z]/.test(line)) return false;
  // A heading-like word or two ending in a colon: "Explanation:", "Remarque :".
  if (/^\p{Lu}[\p{L} ]{0,30}[:：]\s*$/u.test(line)) return true;
  const words = line.trim().split(/\s+/).length;
  const cjkSentence = /[\u3040-\u30ff\u3400-\u9fff]/.test(line) && /[。！？]$/.test(line.trim());
  return cjkSentence || (words >= 3 && SENTENCE_END.test(line)) || words >= 8;
}
