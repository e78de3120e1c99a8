import { describe, expect, it } from 'vitest';
import { onnxFileName, selectModelFiles } from './hub-files.ts';

describe('selectModelFiles: what a dtype needs from a Hub repo (the server download and the bake script alike)', () => {
  const files = [
    'config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'README.md',
    'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data_1',
    'onnx/model_quantized.onnx', 'onnx/model_q4.onnx', 'model.safetensors', 'sub/extra.json',
  ].map((path) => ({ path, size: 1 }));
  const onnx = (dtype: string) => selectModelFiles(files, dtype).filter((f) => f.path.startsWith('onnx/')).map((f) => f.path);
  it('takes the small top-level files and one ONNX variant with its data files', () => {
    expect(selectModelFiles(files, 'q4f16').map((f) => f.path)).toEqual(['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'README.md', 'onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data']);
  });
  it.each([
    ['fp32', ['onnx/model.onnx', 'onnx/model.onnx_data']],
    ['fp16', ['onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data_1']],
    // transformers.js names q8 "quantized"; q4 must not take q4f16's files
    ['q8', ['onnx/model_quantized.onnx']],
    ['q4', ['onnx/model_q4.onnx']],
    ['bnb4', []],
  ] as const)('%s', (dtype, want) => {
    expect(onnx(dtype)).toEqual(want);
  });
  it('an unknown dtype is an error that lists the known ones', () => {
    expect(() => onnxFileName('q3')).toThrow('unknown dtype "q3": use one of fp32, fp16, q8, int8, uint8, q4, bnb4, q4f16');
  });
});
