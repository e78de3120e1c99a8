import { FLOWCHART_HEADER } from '../keywords.ts';
import { flowchartHeaderIndex } from '../flowchart.ts';
import type { Repair } from './types.ts';

const DIRECTIONS: Record<string, string> = {
  td: 'TD', tb: 'TB', bt: 'BT', lr: 'LR', rl: 'RL',
  down: 'TD', topdown: 'TD', 'top-down': 'TD', toptobottom: 'TB', vertical: 'TD',
  up: 'BT', bottomup: 'BT', 'bottom-up': 'BT', bottomtotop: 'BT',
  right: 'LR', leftright: 'LR', 'left-right': 'LR', lefttoright: 'LR', horizontal: 'LR',
  left: 'RL', rightleft: 'RL', 'right-left': 'RL', righttoleft: 'RL',
};

/** `flowchart td`, `graph down`, `flowchart TopDown` → a direction Mermaid knows; unknown words dropped. */
export const fixDirection: Repair = {
  name: 'fix-direction',
  apply(code) {
    const lines = code.split('\n');
    const i = flowchartHeaderIndex(lines);
    if (i === -1) return code;
    const m = FLOWCHART_HEADER.exec(lines[i]!)!;
    const [, indent, keyword, rest] = m as unknown as [string, string, string, string];
    const dm = /^\s+([A-Za-z-]+)\s*(;.*)?$/.exec(rest);
    if (!dm) return code;
    const word = dm[1]!;
    if (['TD', 'TB', 'BT', 'LR', 'RL'].includes(word)) return code;
    const direction = DIRECTIONS[word.toLowerCase()];
    lines[i] = `${indent}${keyword}${direction ? ` ${direction}` : ''}${dm[2] ?? ''}`;
    return lines.join('\n');
  },
};
