import { describe, expect, it } from 'vitest';
import { snippets } from './snippets.ts';

describe('API snippets', () => {
  it('target this origin and the /generate endpoint', () => {
    const s = snippets({ origin: 'https://me-app.hf.space/', description: 'login flow', withKey: false });
    expect(s.map((x) => x.id)).toEqual(['js', 'python', 'curl', 'rest']);
    expect(s[0]!.code).toContain('Client.connect("https://me-app.hf.space")');
    expect(s[0]!.code).toContain('client.predict("/generate"');
    expect(s[1]!.code).toContain('api_name="/generate"');
    expect(s[2]!.code).toContain('https://me-app.hf.space/gradio_api/call/v2/generate');
    expect(s.map((x) => x.code).join('\n')).not.toContain('X-API-Key');
  });

  it('add the key header from the environment when a key is required, never the key itself', () => {
    const s = snippets({ origin: 'http://127.0.0.1:7860', description: 'x', withKey: true });
    expect(s[0]!.code).toContain('"X-API-Key": process.env.API_KEY');
    expect(s[1]!.code).toContain('headers={"X-API-Key": os.environ["API_KEY"]}');
    expect(s[2]!.code.match(/X-API-Key: \$API_KEY/g)).toHaveLength(2);
    expect(s[3]!.code.match(/X-API-Key: \$API_KEY/g)).toHaveLength(2);
  });

  it('quote descriptions safely for shells and code', () => {
    const d = `It's "quoted" $HOME \`cmd\`\nline 2`;
    const s = snippets({ origin: 'http://h', description: d, withKey: false });
    expect(s[3]!.code).toContain(`-d '{"description":"It'\\''s \\"quoted\\" $HOME \`cmd\`\\nline 2"}'`);
    expect(s[0]!.code).toContain(JSON.stringify(d));
  });
});

describe('snippets on a Hugging Face Space', () => {
  it('connect by Space id (JS, Python) and curl the Space host, whatever page address the app was opened at', () => {
    const list = snippets({ origin: 'http://10.0.0.5:7860', description: 'x', withKey: false, space: { id: 'alice/flows', url: 'https://alice-flows.hf.space' } });
    const code = (id: string) => list.find((s) => s.id === id)!.code;
    expect(code('js')).toContain('Client.connect("alice/flows")');
    expect(code('python')).toContain('Client("alice/flows")');
    expect(code('curl')).toContain('https://alice-flows.hf.space/gradio_api/call/v2/generate');
    expect(list.map((s) => s.code).join('\n')).not.toContain('10.0.0.5');
  });
});
