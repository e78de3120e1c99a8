/**
 * "Use via API" snippets, as Spaces show them: @gradio/client (JS), Python
 * gradio_client, and curl against this server (Gradio's call route and our
 * own JSON/SSE routes). The key is never pasted in: snippets read it from an
 * API_KEY environment variable.
 */
import { trimEndChar } from '../../../common/text.ts';

export interface SnippetOptions {
  origin: string;
  description: string;
  /** Adds the X-API-Key header (the server has API_KEY set). */
  withKey: boolean;
  /** On a Hugging Face Space (the server's SPACE_ID / SPACE_HOST): the clients connect by Space id, curl to its host. */
  space?: { id: string; url: string | null } | null;
}

export interface Snippet {
  id: 'js' | 'python' | 'curl' | 'rest';
  label: string;
  language: string;
  code: string;
}

const jsString = (s: string) => JSON.stringify(s);
/** Python accepts JSON string literals except for lone surrogates, which JSON.stringify escapes. */
const pyString = (s: string) => JSON.stringify(s);
/** A single-quoted shell word. */
const shellWord = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function snippets({ origin, description, withKey, space }: SnippetOptions): Snippet[] {
  const base = trimEndChar(space?.url ?? origin, '/');
  // Gradio's clients take a Space id and find its host themselves (private Spaces then use the HF token).
  const target = space?.id ?? base;
  const body = JSON.stringify({ description });
  const keyHeader = withKey ? ` \\\n  -H "X-API-Key: $API_KEY"` : '';
  return [
    {
      id: 'js',
      label: 'JavaScript',
      language: 'javascript',
      // Runs as saved, whatever the file is called: snippet.js in a CommonJS project, snippet.mjs,
      // or an ES module project. A dynamic import() inside an async function is valid in all three
      // (a static `import` or a top-level await fails in a CommonJS .js file).
      code: [
        '// npm install @gradio/client, then: node snippet.js',
        'async function main() {',
        '  const { Client } = await import("@gradio/client");',
        withKey
          ? `  const client = await Client.connect(${jsString(target)}, {\n    headers: { "X-API-Key": process.env.API_KEY },\n  });`
          : `  const client = await Client.connect(${jsString(target)});`,
        `  const result = await client.predict("/generate", {\n    description: ${jsString(description)},\n  });`,
        '  const [mermaid, details] = result.data; // the code, and the JSON result (valid, repairs, timings…)',
        '  console.log(mermaid);',
        '}',
        '',
        'main().catch((error) => {',
        '  console.error(error);',
        '  process.exitCode = 1;',
        '});',
      ].join('\n'),
    },
    {
      id: 'python',
      label: 'Python',
      language: 'python',
      code: [
        ...(withKey ? ['import os', ''] : []),
        'from gradio_client import Client',
        '',
        withKey
          ? `client = Client(${pyString(target)}, headers={"X-API-Key": os.environ["API_KEY"]})`
          : `client = Client(${pyString(target)})`,
        `mermaid, details = client.predict(\n    description=${pyString(description)},\n    api_name="/generate",\n)`,
        'print(mermaid)',
      ].join('\n'),
    },
    {
      id: 'curl',
      label: 'curl (Gradio)',
      language: 'bash',
      code: [
        `EVENT_ID=$(curl -s -X POST ${base}/gradio_api/call/v2/generate \\`,
        `  -H "Content-Type: application/json"${keyHeader} \\`,
        `  -d ${shellWord(body)} \\`,
        `  | sed -E 's/.*"event_id" *: *"([^"]+)".*/\\1/')`,
        `curl -N ${base}/gradio_api/call/generate/$EVENT_ID${withKey ? ' \\\n  -H "X-API-Key: $API_KEY"' : ''}`,
      ].join('\n'),
    },
    {
      id: 'rest',
      label: 'curl (JSON / SSE)',
      language: 'bash',
      code: [
        '# The whole result as JSON',
        `curl -s -X POST ${base}/api/generate \\`,
        `  -H "Content-Type: application/json"${keyHeader} \\`,
        `  -d ${shellWord(body)}`,
        '',
        '# The same run as server-sent events (queued, token, candidate, done)',
        `curl -N -X POST ${base}/api/generate/stream \\`,
        `  -H "Content-Type: application/json"${keyHeader} \\`,
        `  -d ${shellWord(body)}`,
      ].join('\n'),
    },
  ];
}
