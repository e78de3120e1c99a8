import { mapFlowchartLines, mapLabels } from '../flowchart.ts';
import type { Repair } from './types.ts';

/**
 * HTML inside flowchart labels: `<br>`, `<br/>`, `<br />` become `<br>`
 * (Mermaid's own line break); every other tag is dropped, its text kept.
 * A label left empty (`D[]`, after sanitize removed a `<script>`) loses its
 * brackets, so the node keeps its id as its text.
 */
export const removeHtml: Repair = {
  name: 'remove-html',
  apply(code) {
    return mapFlowchartLines(code, (line) => {
      const fixed = mapLabels(line, (text) =>
        text
          .replace(/<br\s*\/?>/gi, '\u0001')
          .replace(/<\/?[a-zA-Z][^<>]*>/g, '')
          .replace(/\u0001/g, '<br>'),
      );
      return dropEmptyShapes(fixed);
    });
  },
};

function dropEmptyShapes(line: string): string {
  // `\s*(?:"\s*"\s*)?` rather than `\s*(?:"\s*")?\s*`: the same texts, without two adjacent `\s*` (quadratic).
  return line.replace(/([\p{L}\p{N}_])(?:\[\s*(?:"\s*"\s*)?\]|\(\s*(?:"\s*"\s*)?\)|\{\s*(?:"\s*"\s*)?\})/gu, '$1');
}
