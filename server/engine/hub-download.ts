/**
 * A Hub model onto local disk, once, so the engine loads it exactly like a
 * MODEL_PATH directory (the weights are read by one ONNX session, not first
 * by a transformers.js download session and then again by the fused one).
 *
 * Layout (CACHE_DIR/hub/<owner>/<name>/):
 *   refs/<revision>              the commit a branch or tag resolved to last time (for offline starts)
 *   snapshots/<commit>/          the files, as in the repo; `.hub-files.json` lists the repo's files and sizes
 *   snapshots/<commit>/<f>.part  a download in progress: never used, resumed with a Range request next time
 *
 * One request to the Hub API (`/api/models/<id>/revision/<rev>?blobs=true`)
 * gives the commit and the file list with sizes; hub-files.ts picks what the
 * dtype needs; each file comes from `/<id>/resolve/<commit>/<path>` (so a
 * push to the branch mid-download cannot mix two versions). A file counts as
 * done only once renamed from `.part` at its listed size. A pinned commit
 * (MODEL_REVISION=<40 hex>) already in the cache starts without any request;
 * a branch falls back to its last commit when the Hub cannot be reached (or
 * answers 5xx). Plain fetch rather than @huggingface/hub: resuming needs the
 * Range request and the `.part` file in our hands.
 *
 * Two processes downloading into the same CACHE_DIR at once are not guarded
 * against (one server per cache).
 */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onnxFileName, selectModelFiles, type RemoteFile } from './hub-files.ts';
import { fetchWithToken, type HubSource } from './hub.ts';

export interface HubDownloadOptions extends HubSource {
  cacheDir: string;
  /** Base fetch (tests may wrap it); the token is added for the Hub's host only. */
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

export interface DownloadProgress {
  loaded: number;
  total: number;
}

export interface HubSnapshot {
  /** The model directory: load it like MODEL_PATH once `ensure` has run for the dtype. */
  dir: string;
  commit: string;
  /** True when the Hub could not be reached and the cache answered instead (nothing can be downloaded). */
  offline: boolean;
  /**
   * Puts the files a dtype needs in `dir` (nothing is fetched for files already there). The
   * small files come first and `beforeWeights(dir)` runs on them (a config check), then the weights.
   */
  ensure(dtype: string, opts?: { onProgress?: (p: DownloadProgress) => void; beforeWeights?: (dir: string) => Promise<void> }): Promise<void>;
}

/** An HTTP answer from the Hub that is not a file (the loader turns it into advice with diagnoseHub). */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    what: string,
    hubUrl: string,
  ) {
    super(`${hubUrl} answered HTTP ${status} for ${what}.${status >= 500 ? ' Try again later, or set MODEL_PATH to a local model directory.' : ''}`);
  }
}

interface Manifest {
  modelId: string;
  commit: string;
  files: RemoteFile[];
}

const MANIFEST = '.hub-files.json';

/** CACHE_DIR/hub/<owner>/<name>; the id is checked so it cannot name a folder outside. */
export function hubRepoDir(cacheDir: string, modelId: string): string {
  const parts = modelId.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[\w.-]+$/.test(p) || p === '.' || p === '..')) {
    throw new Error(`MODEL_ID=${JSON.stringify(modelId)} is not a Hub model id (owner/name).`);
  }
  return path.join(cacheDir, 'hub', ...parts);
}

/** Resolves the revision (or the cache, offline) to a commit and its file list. */
export async function openHubSnapshot(o: HubDownloadOptions): Promise<HubSnapshot> {
  const repoDir = hubRepoDir(o.cacheDir, o.modelId);
  const base = o.fetch ?? globalThis.fetch.bind(globalThis);
  const fetchFn = o.hfToken ? fetchWithToken(base, o.hfToken, new URL(o.hubUrl).hostname) : base;
  // a branch or tag name as one file name ('/' and dots escaped, so no name means a folder)
  const refFile = path.join(repoDir, 'refs', encodeURIComponent(o.revision).replace(/\./g, '%2E'));
  const snapshotDir = (commit: string) => path.join(repoDir, 'snapshots', commit);
  const cached = async (commit: string | null): Promise<Manifest | null> => {
    if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return null;
    try {
      return JSON.parse(await readFile(path.join(snapshotDir(commit), MANIFEST), 'utf8')) as Manifest;
    } catch {
      return null;
    }
  };
  const open = (m: Manifest, offline: boolean): HubSnapshot => {
    const dir = snapshotDir(m.commit);
    return { dir, commit: m.commit, offline, ensure: (dtype, opts = {}) => ensureFiles(o, fetchFn, dir, m, dtype, offline, opts) };
  };

  // A pinned commit never changes: once its list is cached, no API request (its files, if some
  // are missing, still come from /resolve/<commit>/).
  const pinned = await cached(o.revision);
  if (pinned) return open(pinned, false);

  const url = `${o.hubUrl}/api/models/${o.modelId}/revision/${encodeURIComponent(o.revision)}?blobs=true`;
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (error) {
    const last = await cached(await readFile(refFile, 'utf8').catch(() => null));
    if (last) {
      o.log?.(`the Hub could not be reached; using ${o.modelId} at ${last.commit} from the cache`);
      return open(last, true);
    }
    throw error;
  }
  if (res.status >= 500) {
    const last = await cached(await readFile(refFile, 'utf8').catch(() => null));
    if (last) {
      o.log?.(`the Hub answered HTTP ${res.status}; using ${o.modelId} at ${last.commit} from the cache`);
      return open(last, true);
    }
  }
  if (!res.ok) throw new HubHttpError(res.status, `${o.modelId} at ${o.revision}`, o.hubUrl);
  const info = (await res.json()) as { sha?: unknown; siblings?: { rfilename?: unknown; size?: unknown }[] };
  if (typeof info.sha !== 'string' || !/^[0-9a-f]{40}$/.test(info.sha) || !Array.isArray(info.siblings)) {
    throw new Error(`${o.hubUrl} did not say which commit ${o.modelId} at ${o.revision} is (no sha or file list in its API answer).`);
  }
  const files = info.siblings
    .filter((s): s is { rfilename: string; size?: unknown } => typeof s.rfilename === 'string')
    .map((s) => ({ path: s.rfilename, size: typeof s.size === 'number' ? s.size : -1 }));
  for (const f of files) {
    // the file list comes from the network: no path may leave the snapshot folder
    if (f.path.split('/').some((p) => p === '..' || p === '') || path.isAbsolute(f.path)) throw new Error(`${o.modelId}: the Hub listed an unsafe file name ${JSON.stringify(f.path)}.`);
  }
  const manifest: Manifest = { modelId: o.modelId, commit: info.sha, files };
  await writeAtomic(path.join(snapshotDir(info.sha), MANIFEST), JSON.stringify(manifest));
  await writeAtomic(refFile, info.sha);
  return open(manifest, false);
}

async function ensureFiles(
  o: HubDownloadOptions,
  fetchFn: typeof fetch,
  dir: string,
  m: Manifest,
  dtype: string,
  offline: boolean,
  opts: { onProgress?: (p: DownloadProgress) => void; beforeWeights?: (dir: string) => Promise<void> },
): Promise<void> {
  const onnx = onnxFileName(dtype);
  const wanted = selectModelFiles(m.files, dtype);
  if (!wanted.some((f) => f.path === onnx)) {
    throw new Error(`${o.modelId} has no ${onnx} (DTYPE=${dtype}). Set DTYPE to a variant the repo has (its onnx/ folder lists them).`);
  }
  const done = async (f: RemoteFile) => {
    const s = await stat(path.join(dir, f.path)).catch(() => null);
    return s !== null && s.isFile() && (f.size < 0 || s.size === f.size);
  };
  const missing: RemoteFile[] = [];
  for (const f of wanted) if (!(await done(f))) missing.push(f);
  const total = wanted.reduce((s, f) => s + Math.max(0, f.size), 0);
  let loaded = total - missing.reduce((s, f) => s + Math.max(0, f.size), 0);
  const report = () => opts.onProgress?.({ loaded, total });
  report();
  if (missing.length > 0 && offline) {
    throw new Error(`${o.modelId} is only partly in ${dir} (${missing.map((f) => f.path).join(', ')} missing) and the Hub could not be reached to finish it. Start once with network access, or set MODEL_PATH to a local model directory.`);
  }
  if (missing.length > 0) o.log?.(`downloading ${missing.length} files (${(missing.reduce((s, f) => s + Math.max(0, f.size), 0) / 1e6).toFixed(1)} MB) of ${o.modelId} at ${m.commit} into ${dir}`);
  const small = missing.filter((f) => !f.path.startsWith('onnx/'));
  const weights = missing.filter((f) => f.path.startsWith('onnx/'));
  const get = async (f: RemoteFile) => {
    const url = `${o.hubUrl}/${o.modelId}/resolve/${m.commit}/${f.path.split('/').map(encodeURIComponent).join('/')}`;
    await downloadOne(fetchFn, url, o.hubUrl, path.join(dir, f.path), f, (n) => {
      loaded += n;
      report();
    });
  };
  for (const f of small) await get(f);
  await opts.beforeWeights?.(dir);
  for (const f of weights) await get(f);
}

/**
 * One file into `<target>.part` (resumed with a Range request when a part is there), renamed to
 * `target` only at its listed size. `onBytes` hears every chunk (and a negative count when a
 * refused resume starts over).
 */
async function downloadOne(fetchFn: typeof fetch, url: string, hubUrl: string, target: string, f: RemoteFile, onBytes: (n: number) => void): Promise<void> {
  const part = `${target}.part`;
  await mkdir(path.dirname(target), { recursive: true });
  let have = (await stat(part).catch(() => null))?.size ?? 0;
  if (f.size >= 0 && have > f.size) {
    await rm(part, { force: true });
    have = 0;
  }
  const res = await fetchFn(url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : undefined);
  let append = false;
  if (res.status === 206 && have > 0 && new RegExp(`^bytes ${have}-`).test(res.headers.get('content-range') ?? '')) {
    append = true;
  } else if (res.status === 416 && have === f.size) {
    await res.body?.cancel();
    await rename(part, target);
    onBytes(have);
    return;
  } else if (!res.ok || res.status === 206) {
    await res.body?.cancel();
    throw new HubHttpError(res.status, f.path, hubUrl);
  }
  if (append) onBytes(have);
  let got = append ? have : 0;
  // Each chunk is on disk before the next is read, so an interrupted part keeps all it received.
  const out = await open(part, append ? 'a' : 'w');
  try {
    if (!res.body) throw new Error('empty answer');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await out.write(chunk);
      got += chunk.length;
      onBytes(chunk.length);
    }
  } catch (error) {
    const why = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    throw new Error(`The download of ${f.path} stopped at ${mb(got)} of ${f.size >= 0 ? mb(f.size) : '?'} MB (${why}); the next attempt resumes it.`, { cause: error });
  } finally {
    await out.close();
  }
  const size = (await stat(part)).size;
  if (f.size >= 0 && size !== f.size) {
    if (size > f.size) await rm(part, { force: true });
    throw new Error(`The download of ${f.path} ended at ${size} bytes, but the Hub lists ${f.size}; the next attempt ${size > f.size ? 'downloads it again' : 'resumes it'}.`);
  }
  await rename(part, target);
}

const mb = (n: number) => (n / 1e6).toFixed(1);

/** Writes a small file so that a reader sees the old content or the new, never half of it. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
