import { describe, expect, it } from 'vitest';
import { escapeTags, prepare, stripConfig } from './untrusted.ts';

describe('stripConfig', () => {
  it.each([
    ['init directive', '%%{init: {"theme":"dark","securityLevel":"loose"}}%%\nflowchart TD\n  A --> B', '\nflowchart TD\n  A --> B'],
    ['multi-line directive', 'flowchart TD\n%%{init: {\n "theme": "dark"\n}}%%\n  A --> B', 'flowchart TD\n\n\n\n  A --> B'],
    ['unclosed directive', '%%{init: {"theme":"dark"}\nflowchart TD', '\nflowchart TD'],
    ['click after ;', 'flowchart TD\n  A-->B; click A href "https://evil.example/x"', 'flowchart TD\n  A-->B'],
    ['upper-case sequence LINK', 'sequenceDiagram\n  LINK A: Evil @ https://evil.example\n  A->>A: hi', 'sequenceDiagram\n\n  A->>A: hi'],
    ['displayMode is configuration', '---\ntitle: Plan\ndisplayMode: compact\n---\ngantt', '---\ntitle: Plan\n\n---\ngantt'],
    ['front matter config, title kept', '---\ntitle: Login\nconfig:\n  theme: dark\n  themeCSS: "x"\n---\nflowchart TD\n  A', '---\ntitle: Login\n\n\n\n---\nflowchart TD\n  A'],
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

describe('escapeTags', () => {
  it.each([
    ['img with handler', 'A["<img src=x onerror=alert(1)>"]', 'A["#lt;img src=x onerror=alert(1)#gt;"]'],
    ['script', 'A[<script>alert(1)</script>]', 'A[#lt;script#gt;alert(1)#lt;/script#gt;]'],
    ['line breaks kept', 'A[one<br>two<br/>three<BR />]', 'A[one<br>two<br/>three<BR />]'],
    ['arrows kept', 'A <--> B\nA ->> B\nA --> B', 'A <--> B\nA ->> B\nA --> B'],
    ['annotations kept', 'class Shape{\n  <<interface>>\n}\nstate f <<fork>>', 'class Shape{\n  <<interface>>\n}\nstate f <<fork>>'],
    ['comparison text kept', 'A[x < 5 and y > 3]', 'A[x < 5 and y > 3]'],
    ['sequence message', 'A->>B: <b>bold</b>', 'A->>B: #lt;b#gt;bold#lt;/b#gt;'],
    ['tag across lines', 'A["<img\nsrc=x onerror=alert(1)>"]', 'A["#lt;img\nsrc=x onerror=alert(1)#gt;"]'],
    ['tag inside << >>', 'class A{\n  <<img src=x onerror=alert(1)>>\n}', 'class A{\n  <#lt;img src=x onerror=alert(1)#gt;>\n}'],
    ['class relation arrows kept', 'A <|-- B\nC <.. D', 'A <|-- B\nC <.. D'],
  ])('%s', (_name, input, expected) => {
    expect(escapeTags(input)).toBe(expected);
  });

  it('prepare strips config and escapes tags', () => {
    expect(prepare('%%{init: {"theme":"dark"}}%%\nflowchart TD\n  A[<i>x</i>]')).toBe('\nflowchart TD\n  A[#lt;i#gt;x#lt;/i#gt;]');
  });
});
