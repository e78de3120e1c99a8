import { describe, expect, it } from 'vitest';
import { diagnoseHub, explainLoadError, type HubSource } from './hub.ts';

const SRC: HubSource = { modelId: 'acme/model', revision: 'main', hubUrl: 'https://huggingface.co', hfToken: null };
const answering = (status: number) => (async () => new Response(null, { status })) as unknown as typeof fetch;

describe('diagnoseHub: one HEAD of config.json says what went wrong', () => {
  it.each([
    ['404 on main', SRC, answering(404), /^acme\/model was not found on the Hugging Face Hub \(no config\.json\)\. Check MODEL_ID\.$/],
    ['404 on a revision', { ...SRC, revision: 'v2' }, answering(404), /at revision v2 was not found.*Check MODEL_ID and MODEL_REVISION/],
    ['401 without a token', SRC, answering(401), /refused acme\/model \(HTTP 401\).*set HF_TOKEN/],
    ['403 with a token', { ...SRC, hfToken: 'hf_x' }, answering(403), /refused HF_TOKEN for acme\/model \(HTTP 403\).*gated/],
    ['a mirror is named by its URL', { ...SRC, hubUrl: 'https://mirror.example' }, answering(404), /not found on https:\/\/mirror\.example/],
  ] as const)('%s', async (_name, src, fetchFn, message) => {
    expect(await diagnoseHub(src, fetchFn)).toMatch(message);
  });

  it('no network: says so and points at MODEL_PATH, with the cause', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND huggingface.co') });
    }) as unknown as typeof fetch;
    expect(await diagnoseHub(SRC, offline)).toBe(
      'Could not reach the Hugging Face Hub to download acme/model (getaddrinfo ENOTFOUND huggingface.co). Without internet, set MODEL_PATH to a local model directory (see QUICK_START.md).',
    );
  });

  it('the repo answers: nothing to add (null), and the token never appears in a message', async () => {
    expect(await diagnoseHub({ ...SRC, hfToken: 'hf_secret' }, answering(200))).toBeNull();
    expect(await diagnoseHub({ ...SRC, hfToken: 'hf_secret' }, answering(401))).not.toContain('hf_secret');
  });
});

describe('explainLoadError', () => {
  const local = { ...SRC, modelPath: '/models/q', dtype: 'q4f16' };
  const hub = { ...SRC, modelPath: null, dtype: 'auto' };
  it.each([
    ['a file missing from MODEL_PATH', local, 'file was not found locally at "/models/q/onnx/model_q4f16.onnx"', /MODEL_PATH=\/models\/q lacks a file the model needs; check dtype DTYPE=q4f16/],
    ['no network for the Hub', hub, 'fetch failed', /^Could not download acme\/model from the Hugging Face Hub \(fetch failed\)\. Without internet, set MODEL_PATH/],
    ['refused by the Hub', hub, 'Unauthorized access (401)', /^The Hub refused acme\/model .*Set HF_TOKEN/],
    ['anything else passes through', hub, 'Protobuf parsing failed.', /^Protobuf parsing failed\.$/],
  ] as const)('%s', (_name, src, message, expected) => {
    expect(explainLoadError(message, src)).toMatch(expected);
  });
});
