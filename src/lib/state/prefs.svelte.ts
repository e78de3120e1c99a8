/**
 * View preferences (not the diagram): UI colour mode, Mermaid theme and PNG
 * export settings. Persisted in localStorage; the UI mode follows the system
 * until the user picks one.
 */
import { PNG_SCALES, type PngBackground, type PngScale } from '../diagram/export.ts';
import { MERMAID_THEMES, type MermaidTheme } from '../diagram/mermaid.ts';
import { localStore, readJson, writeJson } from '../storage.ts';

export type UiMode = 'system' | 'light' | 'dark';
export const UI_MODES: readonly UiMode[] = ['system', 'light', 'dark'];

interface Prefs {
  uiMode: UiMode;
  mermaidTheme: MermaidTheme;
  pngScale: PngScale;
  pngBackground: PngBackground;
}

const KEY = 'mfg:prefs';

function loadPrefs(): Prefs {
  const p = readJson<Partial<Prefs>>(localStore(), KEY) ?? {};
  return {
    uiMode: UI_MODES.includes(p.uiMode as UiMode) ? (p.uiMode as UiMode) : 'system',
    mermaidTheme: MERMAID_THEMES.includes(p.mermaidTheme as MermaidTheme) ? (p.mermaidTheme as MermaidTheme) : 'default',
    pngScale: PNG_SCALES.includes(p.pngScale as PngScale) ? (p.pngScale as PngScale) : 2,
    pngBackground: p.pngBackground === 'transparent' ? 'transparent' : 'white',
  };
}

const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const state = $state<Prefs & { systemDark: boolean }>({ ...loadPrefs(), systemDark: media?.matches ?? false });
media?.addEventListener('change', (e) => {
  state.systemDark = e.matches;
});

export const prefs = {
  get uiMode() {
    return state.uiMode;
  },
  get mermaidTheme() {
    return state.mermaidTheme;
  },
  get pngScale() {
    return state.pngScale;
  },
  get pngBackground() {
    return state.pngBackground;
  },
  /** The UI is dark now (chosen, or following the system). */
  get dark() {
    return state.uiMode === 'dark' || (state.uiMode === 'system' && state.systemDark);
  },
};

function set<K extends keyof Prefs>(key: K, value: Prefs[K]): void {
  (state as Prefs)[key] = value;
  const { systemDark: _, ...saved } = state;
  writeJson(localStore(), KEY, saved);
}

export const setUiMode = (m: UiMode) => set('uiMode', m);
export const setMermaidTheme = (t: MermaidTheme) => set('mermaidTheme', t);
export const setPngScale = (s: PngScale) => set('pngScale', s);
export const setPngBackground = (b: PngBackground) => set('pngBackground', b);
