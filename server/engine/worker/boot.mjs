// The engine worker's entry: the engine is TypeScript run as is, so register
// tsx's loader in this thread (loader hooks are per thread), then load it.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
