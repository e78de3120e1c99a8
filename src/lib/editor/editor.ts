/**
 * CodeMirror 6, assembled from its parts (no basicSetup bundle): line
 * numbers, history, bracket matching, Mermaid highlighting through CSS
 * classes (so light and dark themes are plain CSS), a line mark for the
 * parser error, and read-only while a run streams into it.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { mermaidLanguage } from './mermaidLanguage.ts';

const setErrorLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({ class: 'cm-error-line', attributes: { title: 'Parser error on this line' } });

const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrorLine)) continue;
      const n = e.value;
      deco = n !== null && n >= 1 && n <= tr.state.doc.lines ? Decoration.set([errorLineMark.range(tr.state.doc.line(n).from)]) : Decoration.none;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface EditorHandle {
  /** Replaces the text when it differs (stream, restore, undo); keeps the editor's own undo history. */
  setDoc(text: string): void;
  setErrorLine(line: number | null): void;
  setReadOnly(readOnly: boolean): void;
  /** aria-invalid on the text box while the code does not parse. */
  setInvalid(invalid: boolean): void;
  focus(): void;
  destroy(): void;
}

export function createEditor(
  parent: HTMLElement,
  opts: { doc: string; onChange: (text: string) => void; label: string; describedBy?: string; extensions?: Extension[] },
): EditorHandle {
  const readOnly = new Compartment();
  const invalid = new Compartment();
  const invalidAttrs = (on: boolean) => EditorView.contentAttributes.of(on ? { 'aria-invalid': 'true' } : {});
  let applyingExternal = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        mermaidLanguage,
        syntaxHighlighting(classHighlighter),
        errorLineField,
        EditorView.lineWrapping,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        readOnly.of(EditorState.readOnly.of(false)),
        EditorView.contentAttributes.of({
          'aria-label': opts.label,
          ...(opts.describedBy ? { 'aria-describedby': opts.describedBy } : {}),
          spellcheck: 'false',
          autocapitalize: 'off',
        }),
        invalid.of(invalidAttrs(false)),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applyingExternal) opts.onChange(u.state.doc.toString());
        }),
        ...(opts.extensions ?? []),
      ],
    }),
  });
  return {
    setDoc(text) {
      const current = view.state.doc.toString();
      if (current === text) return;
      // Replace only the changed middle, so the cursor and scroll stay put while a stream appends.
      let start = 0;
      while (start < current.length && start < text.length && current[start] === text[start]) start++;
      let endA = current.length;
      let endB = text.length;
      while (endA > start && endB > start && current[endA - 1] === text[endB - 1]) {
        endA--;
        endB--;
      }
      applyingExternal = true;
      try {
        view.dispatch({ changes: { from: start, to: endA, insert: text.slice(start, endB) } });
      } finally {
        applyingExternal = false;
      }
    },
    setErrorLine(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
    },
    setReadOnly(ro) {
      view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(ro)) });
    },
    setInvalid(on) {
      view.dispatch({ effects: invalid.reconfigure(invalidAttrs(on)) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
