// The engine worker's entry: the engine is TypeScript run as is, so register
// tsx's loader in this thread (loader hooks are per thread), then load it.
import { register } from 'tsx/esm/api';

register();
// Before anything imports ONNX Runtime or transformers.js (see float16.ts).
await import('../float16.ts');
await import('./thread.ts');
