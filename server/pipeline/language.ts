/**
 * A small, pure guess at the language of a description, so the prompt can
 * say "write every label in French" instead of hoping a 4B model notices.
 * Only confident answers are returned; otherwise the prompt falls back to
 * "the same language as the description".
 *
 * Scripts decide first (Hangul, kana, Han, Cyrillic, Arabic, …), then, for
 * Latin text, the share of very common function words of each language.
 */

export interface Language {
  /** BCP 47 primary tag, e.g. "fr". */
  code: string;
  /** English name, as the prompt uses it. */
  name: string;
}

const SCRIPTS: [RegExp, Language][] = [
  [/\p{Script=Hangul}/gu, { code: 'ko', name: 'Korean' }],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, { code: 'ja', name: 'Japanese' }],
  [/\p{Script=Han}/gu, { code: 'zh', name: 'Chinese' }],
  [/\p{Script=Cyrillic}/gu, { code: 'ru', name: 'the Cyrillic-script language of the description' }],
  [/\p{Script=Arabic}/gu, { code: 'ar', name: 'the Arabic-script language of the description' }],
  [/\p{Script=Hebrew}/gu, { code: 'he', name: 'Hebrew' }],
  [/\p{Script=Greek}/gu, { code: 'el', name: 'Greek' }],
  [/\p{Script=Thai}/gu, { code: 'th', name: 'Thai' }],
  [/\p{Script=Devanagari}/gu, { code: 'hi', name: 'the Devanagari-script language of the description' }],
];

// Function words that are frequent in one language and rare in the others.
const WORDS: [Language, string[]][] = [
  [{ code: 'en', name: 'English' }, ['the', 'and', 'is', 'to', 'of', 'then', 'if', 'with', 'when', 'it', 'are', 'for', 'this', 'that', 'be', 'after', 'they', 'we', 'an']],
  [{ code: 'fr', name: 'French' }, ['le', 'la', 'les', 'et', 'est', 'des', 'une', 'du', 'puis', 'si', 'pour', 'avec', 'au', 'sont', 'qui', 'dans', 'ensuite', 'lorsque', 'il', 'nous', 'on', 'un', 'sinon', 'aux']],
  [{ code: 'de', name: 'German' }, ['der', 'die', 'das', 'und', 'ist', 'ein', 'eine', 'dann', 'wenn', 'mit', 'wird', 'den', 'dem', 'zu', 'nicht', 'sich', 'auf', 'werden', 'nach', 'sonst']],
  [{ code: 'es', name: 'Spanish' }, ['el', 'los', 'las', 'y', 'es', 'una', 'del', 'luego', 'si', 'para', 'con', 'que', 'se', 'cuando', 'por', 'después', 'entonces', 'lo', 'al', 'sino']],
  [{ code: 'it', name: 'Italian' }, ['il', 'lo', 'gli', 'e', 'è', 'una', 'del', 'della', 'poi', 'se', 'per', 'con', 'che', 'quando', 'viene', 'dopo', 'allora', 'altrimenti', 'nel', 'alla']],
  [{ code: 'pt', name: 'Portuguese' }, ['o', 'os', 'as', 'e', 'é', 'uma', 'do', 'da', 'depois', 'se', 'para', 'com', 'que', 'quando', 'então', 'não', 'são', 'um', 'no', 'na']],
  [{ code: 'nl', name: 'Dutch' }, ['de', 'het', 'en', 'is', 'een', 'van', 'dan', 'als', 'met', 'wordt', 'niet', 'op', 'voor', 'daarna', 'anders', 'naar', 'zijn', 'worden']],
];

/** Returns the description's language when the guess is confident, else null. */
export function detectLanguage(text: string): Language | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return null;
  // Kana implies Japanese even when Han characters dominate; check it before Han.
  for (const [pattern, language] of SCRIPTS) {
    const count = text.match(pattern)?.length ?? 0;
    if (count / letters >= 0.2) return language;
  }
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 3) return null;
  const scores = WORDS.map(([language, list]) => {
    const set = new Set(list);
    return { language, hits: words.filter((word) => set.has(word)).length };
  }).sort((a, b) => b.hits - a.hits);
  const [best, second] = scores;
  if (!best || best.hits < 2) return null;
  // Confident only with a clear lead over the runner-up.
  if (second && best.hits < second.hits * 1.5 + 1) return null;
  return best.language;
}
