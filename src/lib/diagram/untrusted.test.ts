import { describe, expect, it } from 'vitest';
import { stripConfig } from './directives.ts';

describe('stripConfig', () => {
  it.each([
    ['init directive', '%%{init: {"theme":"dark","securityLevel":"loose"}}%%\nflowchart TD\n  A --> B', '\nflowchart TD\n  A --> B'],
    ['multi-line directive', 'flowchart TD\n%%{init: {\n "theme": "dark"\n}}%%\n  A --> B', 'flowchart TD\n\n\n\n  A --> B'],
    ['unclosed directive', '%%{init: {"theme":"dark"}\nflowchart TD', '%% {init: {"theme":"dark"}\nflowchart TD'],
    ['front matter config, title kept', '---\ntitle: Login\nconfig:\n  theme: dark\n  themeCSS: "x"\n---\nflowchart TD\n  A', '---\ntitle: Login\n---\n\n\n\nflowchart TD\n  A'],
    ['front matter config only', '---\nconfig:\n  theme: dark\n---\nflowchart TD', '\n\n\n\nflowchart TD'],
    ['CRLF', 'flowchart TD\r\n  A --> B\r\n', 'flowchart TD\n  A --> B\n'],
    ['plain code unchanged', 'flowchart TD\n  %% a comment\n  A --> B', 'flowchart TD\n  %% a comment\n  A --> B'],
  ])('%s', (_name, input, expected) => {
    const out = stripConfig(input);
    expect(out).toBe(expected);
    // Line numbers of the diagram body are unchanged.
    expect(out.split('\n').length).toBe(input.replace(/\r\n/g, '\n').split('\n').length);
  });
});
