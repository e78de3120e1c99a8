/**
 * The Space-management routes that @huggingface/hub 2.17 has no helpers for
 * (secrets, variables, hardware, sleep time, runtime, restart, logs, host),
 * as plain fetch calls on the same base URL the library gets as `hubUrl`.
 */
export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: string,
  ) {
    super(`${method} ${path} → HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`);
    this.name = 'HubRequestError';
  }
}

export interface SpaceRuntime {
  stage: string;
  errorMessage?: string | null;
  hardware?: { current?: string | null; requested?: string | null };
  gcTimeout?: number | null;
}

export class SpaceApi {
  constructor(
    readonly hubUrl: string,
    readonly token: string,
    readonly spaceId: string,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.hubUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new HubRequestError(res.status, method, path, text);
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      return text as T;
    }
  }

  get base(): string {
    return `/api/spaces/${this.spaceId}`;
  }

  setSecret(key: string, value: string): Promise<unknown> {
    return this.request('POST', `${this.base}/secrets`, { key, value });
  }
  setVariable(key: string, value: string): Promise<unknown> {
    return this.request('POST', `${this.base}/variables`, { key, value });
  }
  runtime(): Promise<SpaceRuntime> {
    return this.request<SpaceRuntime>('GET', `${this.base}/runtime`);
  }
  requestHardware(flavor: string, sleepTimeSeconds?: number): Promise<SpaceRuntime> {
    return this.request('POST', `${this.base}/hardware`, sleepTimeSeconds === undefined ? { flavor } : { flavor, sleepTimeSeconds });
  }
  setSleepTime(seconds: number): Promise<SpaceRuntime> {
    return this.request('POST', `${this.base}/sleeptime`, { seconds });
  }
  /** Public ↔ private on an existing Space (the Hub's repo settings route). */
  setPrivate(isPrivate: boolean): Promise<unknown> {
    return this.request('PUT', `${this.base}/settings`, { private: isPrivate });
  }
  restart(): Promise<SpaceRuntime> {
    return this.request('POST', `${this.base}/restart`);
  }
  async host(): Promise<string> {
    const r = await this.request<{ host: string }>('GET', `${this.base}/host`);
    return r.host.replace(/\/$/, '');
  }

  /**
   * The last `lines` log lines of the build or the run, with the documented
   * `?tail=N`: the Hub sends them and ends the stream. `ms` only guards
   * against a Hub that keeps it open anyway.
   */
  async logTail(kind: 'build' | 'run', lines = 30, ms = 15_000): Promise<string[]> {
    const out: string[] = [];
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), ms);
    try {
      const res = await fetch(`${this.hubUrl.replace(/\/$/, '')}${this.base}/logs/${kind}?tail=${lines}`, {
        headers: { Authorization: `Bearer ${this.token}` },
        signal: ctrl.signal,
      });
      if (!res.ok || !res.body) return [`(no ${kind} logs: HTTP ${res.status})`];
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const payload = line.slice(5).trim();
          if (!payload) continue;
          try {
            out.push(String((JSON.parse(payload) as { data?: string }).data ?? '').replace(/\n$/, ''));
          } catch {
            out.push(payload);
          }
        }
      }
    } catch {
      // Aborted or closed: keep what arrived.
    } finally {
      clearTimeout(timer);
    }
    return out.slice(-lines);
  }
}
