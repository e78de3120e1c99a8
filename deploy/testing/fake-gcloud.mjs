#!/usr/bin/env node
// A stand-in for `gcloud`, for tests: keeps a small project model in the JSON
// file $FAKE_GCLOUD_STATE, appends every invocation to $FAKE_GCLOUD_LOG as a
// JSON line {args, stdin} (stdin recorded separately from the arguments), and
// fails like the real one when a rule in state.fail matches the command line.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const statePath = process.env.FAKE_GCLOUD_STATE;
const logPath = process.env.FAKE_GCLOUD_LOG;
const state = JSON.parse(readFileSync(statePath, 'utf8'));

let stdin = null;
if (!process.stdin.isTTY) {
  try {
    stdin = readFileSync(0, 'utf8');
  } catch {
    stdin = null;
  }
}
appendFileSync(logPath, JSON.stringify({ args, stdin: stdin || null }) + '\n');

const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const ok = (text = '') => {
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  process.exit(0);
};
const fail = (stderr, code = 1) => {
  process.stderr.write(stderr.endsWith('\n') ? stderr : stderr + '\n');
  process.exit(code);
};
const flag = (name) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  if (hit) return hit.slice(name.length + 3);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a) => !a.startsWith('--'));
const line = args.join(' ');

for (const rule of state.fail ?? []) {
  if (line.includes(rule.match)) fail(rule.stderr, rule.code ?? 1);
}

const notFound = (what) => fail(`ERROR: (gcloud) NOT_FOUND: ${what} not found`);
const cmd = positional.slice(0, 3).join(' ');
const c2 = positional.slice(0, 2).join(' ');
const addBinding = (policy, member, role) => {
  policy.bindings ??= [];
  let b = policy.bindings.find((x) => x.role === role);
  if (!b) policy.bindings.push((b = { role, members: [] }));
  if (!b.members.includes(member)) b.members.push(member);
};

if (args[0] === '--version') ok('Google Cloud SDK 999.0.0 (fake)\nbq 2.1');
if (cmd.startsWith('auth list')) ok(state.account ?? '');
if (cmd.startsWith('auth print-identity-token')) ok(state.identityToken ?? 'id-token-fake');
if (cmd === 'config get-value project') ok(state.project ?? '(unset)');
if (cmd.startsWith('projects describe')) {
  if (positional[2] !== state.project) fail(`ERROR: (gcloud.projects.describe) [${positional[2]}] not found or permission denied`);
  ok(state.projectNumber);
}
if (cmd.startsWith('builds get-default-service-account')) ok(`projects/${state.project}/serviceAccounts/${state.projectNumber}-compute@developer.gserviceaccount.com`);
if (cmd.startsWith('projects get-iam-policy')) ok(JSON.stringify(state.policy ?? {}));
if (cmd.startsWith('projects add-iam-policy-binding')) {
  addBinding((state.policy ??= {}), flag('member'), flag('role'));
  save();
  ok();
}
if (c2 === 'services list') ok((state.enabledApis ?? []).join('\n'));
if (cmd.startsWith('services enable')) {
  state.enabledApis = [...new Set([...(state.enabledApis ?? []), ...positional.slice(2)])];
  save();
  ok();
}
if (cmd === 'artifacts repositories describe') {
  if (!(state.repos ?? []).includes(positional[3])) notFound(`Repository ${positional[3]}`);
  ok(`projects/${state.project}/locations/${flag('location')}/repositories/${positional[3]}`);
}
if (cmd === 'artifacts repositories create') {
  (state.repos ??= []).push(positional[3]);
  save();
  ok();
}
if (cmd === 'artifacts docker images') {
  if (!(state.images ?? []).includes(positional[4])) notFound(`Image ${positional[4]}`);
  ok('sha256:fake');
}
if (cmd === 'iam service-accounts describe') {
  if (!(state.serviceAccounts ?? []).includes(positional[3])) notFound(`Service account ${positional[3]}`);
  ok(positional[3]);
}
if (cmd === 'iam service-accounts create') {
  (state.serviceAccounts ??= []).push(`${positional[3]}@${state.project}.iam.gserviceaccount.com`);
  save();
  ok();
}
if (c2 === 'secrets describe') {
  if (!(state.secrets ?? {})[positional[2]]) notFound(`Secret [${positional[2]}]`);
  ok(`projects/${state.projectNumber}/secrets/${positional[2]}`);
}
if (c2 === 'secrets create') {
  if (stdin === null || stdin === '') fail('ERROR: (gcloud.secrets.create) no data on stdin');
  (state.secrets ??= {})[positional[2]] = { versions: 1, policy: {}, sha: stdin.length };
  save();
  ok();
}
if (cmd === 'secrets versions add') {
  state.secrets[positional[3]].versions += 1;
  save();
  ok();
}
if (c2 === 'secrets get-iam-policy') ok(JSON.stringify(state.secrets[positional[2]]?.policy ?? {}));
if (c2 === 'secrets add-iam-policy-binding') {
  addBinding(state.secrets[positional[2]].policy, flag('member'), flag('role'));
  save();
  ok();
}
if (cmd === 'storage buckets get-iam-policy') ok(JSON.stringify(state.bucketPolicy ?? {}));
if (cmd === 'storage buckets add-iam-policy-binding') {
  addBinding((state.bucketPolicy ??= {}), flag('member'), flag('role'));
  save();
  ok();
}
if (cmd.startsWith('builds submit')) {
  // Like gcloud: --config is a local file read relative to gcloud's own working
  // directory (not to the source folder), and the source folder must exist.
  const config = flag('config') ?? 'cloudbuild.yaml';
  if (!existsSync(resolve(process.cwd(), config))) fail(`ERROR: (gcloud.builds.submit) Unable to read file [${config}]: no such file (cwd ${process.cwd()})`);
  if (!positional[2] || !existsSync(resolve(process.cwd(), positional[2]))) fail(`ERROR: (gcloud.builds.submit) could not find source [${positional[2]}]`);
  const subs = flag('substitutions') ?? '';
  const image = /_IMAGE=([^,]+)/.exec(subs)?.[1];
  (state.images ??= []).push(image);
  save();
  ok('DONE');
}
if (cmd.startsWith('run deploy')) {
  // Cloud Run's documented rules for a service with an L4 ("GPU support for
  // services"): instance-based billing (CPU always allocated), at least 4 CPU
  // and 16 GiB, GPU type nvidia-l4.
  if (flag('gpu') !== undefined) {
    const gib = (m) => { const x = /^(\d+)(Gi|Mi)$/.exec(m ?? ''); return x ? Number(x[1]) / (x[2] === 'Mi' ? 1024 : 1) : NaN; };
    if (flag('gpu-type') !== 'nvidia-l4') fail(`ERROR: (gcloud.run.deploy) unsupported GPU type [${flag('gpu-type')}]`);
    if (!args.includes('--no-cpu-throttling')) fail('ERROR: (gcloud.run.deploy) GPU requires CPU to be always allocated (--no-cpu-throttling).');
    if (!(Number(flag('cpu')) >= 4)) fail(`ERROR: (gcloud.run.deploy) GPU requires at least 4 CPU, got [${flag('cpu')}]`);
    if (!(gib(flag('memory')) >= 16)) fail(`ERROR: (gcloud.run.deploy) GPU requires at least 16Gi of memory, got [${flag('memory')}]`);
  }
  // Like Cloud Run: a setting not passed keeps the service's current value (max instances: 100 for a new one).
  const old = (state.services ?? {})[positional[2]];
  const maxInstances = flag('max-instances') ?? old?.maxInstances ?? '100';
  (state.services ??= {})[positional[2]] = { url: `https://${positional[2]}-fake.a.run.app`, image: flag('image'), maxInstances };
  save();
  ok();
}
if (cmd === 'run services describe') {
  const s = (state.services ?? {})[positional[3]];
  if (!s) notFound(`Service ${positional[3]}`);
  if (flag('format') === 'json') {
    ok(JSON.stringify({ metadata: { name: positional[3] }, status: { url: s.url }, spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/maxScale': String(s.maxInstances) } } } } }));
  }
  ok(state.serviceUrl ?? s.url);
}
fail(`ERROR: (fake gcloud) unknown command: ${line}`, 2);
