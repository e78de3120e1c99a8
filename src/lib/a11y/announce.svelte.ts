/**
 * One polite live region for the whole app (`<Announcer />` in App.svelte),
 * always in the page so screen readers are listening before the first message.
 * Components call `announce()` on events worth hearing: a run starting, ending
 * or failing, a parser result once typing settles. Never on every token.
 */
const state = $state<{ message: string }>({ message: '' });
let timer: ReturnType<typeof setTimeout> | undefined;

export const announcer = {
  get message(): string {
    return state.message;
  },
};

/** Replaces the message. Emptied first, so the same message twice is read twice. */
export function announce(message: string): void {
  clearTimeout(timer);
  state.message = '';
  timer = setTimeout(() => (state.message = message), 60);
}
