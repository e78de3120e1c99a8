/**
 * Every regular expression the app runs, as written in its source: regex
 * literals and `new RegExp('literal', 'flags')` / `RegExp(...)` with a string
 * literal (or a template without substitutions) as the pattern. Read with the
 * TypeScript parser, not with a regex, so comments, strings and division are
 * never mistaken for patterns. Svelte files contribute their <script> blocks.
 *
 * Test files (*.test.ts) are left out: their patterns never see user input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface FoundRegex {
  /** path relative to the repo root */
  file: string;
  /** 1-based line of the pattern */
  line: number;
  source: string;
  flags: string;
}

export const SCANNED_FOLDERS = ['server', 'src', 'common'];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(?:ts|js|mjs|svelte)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The <script> blocks of a Svelte file, with everything else blanked so line numbers stay true. */
function svelteScripts(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<script', at);
    if (open === -1) break;
    const bodyStart = text.indexOf('>', open);
    const close = text.indexOf('</script>', bodyStart);
    if (bodyStart === -1 || close === -1) break;
    out += text.slice(at, bodyStart + 1).replace(/[^\n]/g, ' ') + text.slice(bodyStart + 1, close);
    at = close;
  }
  return out + text.slice(at).replace(/[^\n]/g, ' ');
}

function literalText(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

export function regexesIn(file: string, text: string): FoundRegex[] {
  const code = file.endsWith('.svelte') ? svelteScripts(text) : text;
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: FoundRegex[] = [];
  const lineOf = (node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const raw = node.getText(sf);
      const end = raw.lastIndexOf('/');
      found.push({ file, line: lineOf(node), source: raw.slice(1, end), flags: raw.slice(end + 1) });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const source = literalText(node.arguments?.[0]);
      if (source !== null) found.push({ file, line: lineOf(node), source, flags: literalText(node.arguments?.[1]) ?? '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function collectRegexes(root: string, folders = SCANNED_FOLDERS): FoundRegex[] {
  const all: FoundRegex[] = [];
  for (const folder of folders) {
    for (const path of sourceFiles(join(root, folder))) {
      all.push(...regexesIn(relative(root, path), readFileSync(path, 'utf8')));
    }
  }
  return all;
}
