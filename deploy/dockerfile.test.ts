/**
 * Static checks of the image definition (Debian has no hadolint package, so
 * the invariants that matter for Spaces and Cloud Run are checked here; when
 * a `hadolint` binary is on PATH it runs too): uid 1000 with a writable HOME,
 * PORT and EXPOSE agreeing with the server's default, no secret in ARG/ENV,
 * the token only through a BuildKit secret mount, a HEALTHCHECK on
 * /api/health, an exec-form start command, and a .dockerignore that keeps
 * secrets and build output out but leaves what the build needs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../common/limits.ts';
import { parseDockerfile, type Instruction } from './dockerfile.ts';
import { isIgnored, parseDockerignore } from './files.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DOCKERFILE = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');

const ins = parseDockerfile(DOCKERFILE);
const lastStage = Math.max(...ins.map((i) => i.stage));
const final = ins.filter((i) => i.stage === lastStage);
const envOf = (list: Instruction[]) => {
  const env: Record<string, string> = {};
  for (const i of list.filter((x) => x.op === 'ENV')) for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  return env;
};

describe('Dockerfile', () => {
  it('is multi-stage: a Node build stage and a CUDA + cuDNN runtime stage', () => {
    const froms = ins.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(DOCKERFILE).toMatch(/ARG CUDA_IMAGE=nvidia\/cuda:12\.[\d.]+-cudnn-runtime-ubuntu22\.04/);
    expect(froms.at(-1)!.args).toMatch(/^\$\{CUDA_IMAGE\} AS runtime$/);
    const runsOf = (name: string) => {
      const from = froms.find((f) => f.args.endsWith(` AS ${name}`))!;
      return ins.filter((i) => i.stage === from.stage && i.op === 'RUN').map((i) => i.args).join('\n');
    };
    // deps: production modules + the CUDA provider, from the manifests alone (cache-friendly).
    expect(runsOf('deps')).toContain('npm ci --omit=dev');
    expect(runsOf('deps')).toContain('npm run cuda:install -- --cuda 12');
    // build: the UI bundle, with dev dependencies that never reach the runtime stage.
    expect(runsOf('build')).toContain('npm ci');
    expect(runsOf('build')).toContain('npm run build');
    const copies = final.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps --chown=1000:1000 /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build --chown=1000:1000 /app/dist ./dist');
    expect(copies.some((c) => c.includes('--from=build') && c.includes('node_modules'))).toBe(false);
  });

  it('copies into the deps stage every local file that npm run cuda:install imports', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const script = pkg.scripts['cuda:install'];
    if (!script) return; // not landed yet: the Dockerfile check above still pins the command
    const entry = /tsx\s+(\S+\.ts)/.exec(script)?.[1];
    expect(entry, script).toBeTruthy();
    const deps = ins.filter((i) => i.op === 'COPY' && i.stage === ins.find((f) => f.op === 'FROM' && f.args.endsWith(' AS deps'))!.stage && !i.args.includes('--from'));
    const copied = deps.map((c) => c.args.split(/\s+/).slice(0, -1)).flat();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(resolve(ROOT, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(relative(ROOT, resolve(ROOT, dirname(file), m[1]!)));
    };
    visit(entry!);
    for (const f of seen) expect(copied.some((c) => f === c || f.startsWith(`${c.replace(/\/$/, '')}/`)), `${f} is not copied into the deps stage`).toBe(true);
  });

  it('runs as uid 1000 with HOME and caches under it', () => {
    const users = final.filter((i) => i.op === 'USER');
    expect(users.at(-1)!.args).toBe('1000');
    expect(final.some((i) => i.op === 'RUN' && /useradd -m -u 1000 user/.test(i.args))).toBe(true);
    const env = envOf(final);
    expect(env.HOME).toBe('/home/user');
    expect(env.HF_HOME?.startsWith('/home/user/')).toBe(true);
    expect(env.XDG_CACHE_HOME?.startsWith('/home/user/')).toBe(true);
    expect(env.MODEL_DIR?.startsWith('/home/user/')).toBe(true);
    expect(final.find((i) => i.op === 'WORKDIR')!.args).toBe('/home/user/app');
    // Everything copied into the runtime stage belongs to uid 1000 (no recursive chown layer).
    for (const c of final.filter((i) => i.op === 'COPY' && !i.args.includes('/usr/local/bin/node'))) expect(c.args).toMatch(/--chown=1000(:1000)?\b/);
    expect(final.some((i) => i.op === 'RUN' && /chown -R/.test(i.args))).toBe(false);
  });

  it('listens on PORT (default = the server default and app_port) and exposes it', () => {
    const env = envOf(final);
    expect(Number(env.PORT)).toBe(DEFAULT_PORT);
    expect(env.HOST).toBe('0.0.0.0');
    expect(final.find((i) => i.op === 'EXPOSE')!.args).toBe(String(DEFAULT_PORT));
  });

  it('keeps secrets out of ARG and ENV; HF_TOKEN only through a BuildKit secret mount', () => {
    for (const i of ins.filter((x) => x.op === 'ARG' || x.op === 'ENV')) {
      expect(i.args, `${i.op} ${i.args}`).not.toMatch(/TOKEN|SECRET|PASSWORD|API_KEY|CREDENTIAL/i);
    }
    const uses = ins.filter((i) => /HF_TOKEN/.test(i.args));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u.args).toMatch(/--mount=type=secret,id=HF_TOKEN/);
    expect(DOCKERFILE).toMatch(/^# syntax=docker\/dockerfile:1/m);
  });

  it('has a HEALTHCHECK on /api/health and an exec-form start command', () => {
    const hc = final.find((i) => i.op === 'HEALTHCHECK')!;
    expect(hc.args).toContain('/api/health');
    expect(hc.args).toContain('process.env.PORT');
    const cmd = final.filter((i) => i.op === 'CMD').at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(['sh', 'scripts/fetch-model-start.sh']);
    expect(readFileSync(resolve(ROOT, 'scripts/fetch-model-start.sh'), 'utf8')).toMatch(/^exec node --import tsx server\/main\.ts$/m);
  });

  it('passes hadolint when it is installed', () => {
    const probe = spawnSync('hadolint', ['--version']);
    if (probe.error) return; // not packaged in Debian; the checks above stand in for it
    const r = spawnSync('hadolint', ['--ignore', 'DL3008', resolve(ROOT, 'Dockerfile')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('.dockerignore', () => {
  const rules = parseDockerignore(readFileSync(resolve(ROOT, '.dockerignore'), 'utf8'));
  it('keeps secrets, dependencies, build output, caches and weights out', () => {
    for (const p of ['.env', '.env.local', 'node_modules/x/index.js', 'dist/index.html', '.git/config', '.cache/test-models/a/onnx/model.onnx', 'models/q/model.onnx', 'weights.safetensors', 'deploy/cli.ts', 'deploy.ts', 'server/config.test.ts', 'tests/e2e/a.test.ts', 'README.md']) {
      expect(isIgnored(rules, p), p).toBe(true);
    }
  });
  it('matches secrets, logs and weights in every folder, not only at the root', () => {
    for (const p of ['sub/.env', 'server/.env.production', 'key.pem', 'certs/server.key', 'a/b.log', 'x/y/model.onnx', 'x/model.onnx_data', 'gcp/service-account.json', 'docs2/notes.md']) {
      expect(isIgnored(rules, p), p).toBe(true);
    }
    expect(isIgnored(rules, 'config/.env.example')).toBe(false);
  });
  it('keeps what the build and the start command need', () => {
    for (const p of ['package.json', 'package-lock.json', '.npmrc', 'index.html', 'vite.config.ts', 'tsconfig.json', 'src/main.ts', 'server/main.ts', 'server/testmodels/index.ts', 'common/limits.ts', 'scripts/fetch-model.ts', 'scripts/fetch-model-start.sh', '.env.example']) {
      expect(isIgnored(rules, p), p).toBe(false);
    }
  });
  it('follows Docker pattern semantics', () => {
    const r = parseDockerignore('a\n**/b\n*.log\n!keep.log\n/c/d\n');
    expect(isIgnored(r, 'a/x')).toBe(true);
    expect(isIgnored(r, 'x/y/b/z')).toBe(true);
    expect(isIgnored(r, 'x.log')).toBe(true);
    expect(isIgnored(r, 'keep.log')).toBe(false);
    expect(isIgnored(r, 'sub/x.log')).toBe(false); // "*" does not cross folders
    expect(isIgnored(r, 'c/d/e')).toBe(true);
    expect(isIgnored(r, 'ab')).toBe(false);
  });
});

describe('cloudbuild.yaml and cloudbuild.token.yaml', () => {
  const plain = readFileSync(resolve(ROOT, 'cloudbuild.yaml'), 'utf8');
  const yaml = readFileSync(resolve(ROOT, 'cloudbuild.token.yaml'), 'utf8');
  it('a public model builds with no secret at all (a missing Secret Manager secret would fail the build)', () => {
    expect(plain).not.toMatch(/HF_TOKEN|secretEnv|availableSecrets|_HF_SECRET/);
    for (const sub of ['_IMAGE', '_CACHE_IMAGE', '_BAKE_MODEL', '_MODEL_ID', '_MODEL_REVISION']) expect(plain).toContain(`${sub}:`);
  });

  it('both reuse the previous image as the layer cache', () => {
    for (const y of [plain, yaml]) {
      expect(y).toContain('--cache-from ${_CACHE_IMAGE}');
      expect(y).toContain('BUILDKIT_INLINE_CACHE=1');
      expect(y).toContain('--build-arg MODEL_REVISION=${_MODEL_REVISION}');
    }
  });

  it('a gated or private model: the token as a BuildKit secret from Secret Manager, never as an argument', () => {
    expect(yaml).toContain('--secret id=HF_TOKEN,env=HF_TOKEN');
    expect(yaml).toContain('DOCKER_BUILDKIT=1');
    expect(yaml).toMatch(/secretEnv:\s*\n\s*- HF_TOKEN/);
    expect(yaml).toMatch(/versionName: projects\/\$\{PROJECT_ID\}\/secrets\/\$\{_HF_SECRET\}\/versions\/latest/);
    expect(yaml).not.toMatch(/\$\$?HF_TOKEN|\$\{HF_TOKEN\}|--build-arg HF_TOKEN/);
    for (const sub of ['_IMAGE', '_BAKE_MODEL', '_MODEL_ID', '_HF_SECRET']) expect(yaml).toContain(`${sub}:`);
  });
});

describe('.gcloudignore', () => {
  // gcloud builds submit uploads the source folder. With no .gcloudignore, gcloud skips only
  // .git and what .gitignore lists (`gcloud topic gcloudignore`): untracked secrets such as
  // .env.production and local weights under models/ would reach the Cloud Build bucket.
  const text = readFileSync(resolve(ROOT, '.gcloudignore'), 'utf8');
  const lines = text.split('\n').map((l) => l.trim());
  it('skips .git and everything .gitignore and .dockerignore skip', () => {
    for (const l of ['.git', '#!include:.gitignore', '#!include:.dockerignore']) expect(lines, l).toContain(l);
  });
  it('is itself kept out of the image and the Space', () => {
    expect(isIgnored(parseDockerignore(readFileSync(resolve(ROOT, '.dockerignore'), 'utf8')), '.gcloudignore')).toBe(true);
  });
});
