/** Short confirmations ("Link copied") and failures, shown in one polite live region. */
export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
}

const state = $state<{ toasts: Toast[] }>({ toasts: [] });
let next = 1;

export const toasts = {
  get list(): readonly Toast[] {
    return state.toasts;
  },
};

export function notify(message: string, kind: Toast['kind'] = 'info', ms = 3500): void {
  const id = next++;
  state.toasts = [...state.toasts.slice(-2), { id, message, kind }];
  setTimeout(() => dismiss(id), ms);
}

export function dismiss(id: number): void {
  state.toasts = state.toasts.filter((t) => t.id !== id);
}
