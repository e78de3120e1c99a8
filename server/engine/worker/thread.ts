/**
 * The engine's worker thread: owns the TransformersEngine (ONNX Runtime
 * sessions, tokenizer, both decoders) so that a model run, which blocks the
 * thread it runs on, never blocks the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { TransformersEngine } from '../model.ts';
import { toWire, type FromWorker, type ToWorker, type WorkerData } from './protocol.ts';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (m: FromWorker) => port.postMessage(m);

// Log lines go to the main thread's logger (its redaction and destination).
const logger = pino({ level: data.logLevel, base: undefined }, { write: (line: string) => post({ type: 'log', line }) });
const engine = new TransformersEngine({ ...data.options, logger });
engine.onStatus(({ queueDepth: _q, ...status }) => post({ type: 'status', status }));
const controllers = new Map<number, AbortController>();

async function generate(id: number, m: Extract<ToWorker, { type: 'generate' }>): Promise<void> {
  const controller = new AbortController();
  controllers.set(id, controller);
  try {
    for await (const chunk of engine.generate(m.request, controller.signal, { abortFlag: new Int32Array(m.abortFlag) })) {
      post({ type: 'chunk', id, chunk });
    }
  } catch (error) {
    post({ type: 'failed', id, error: toWire(error) });
  } finally {
    controllers.delete(id);
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'load':
      engine.load().then(
        () => post({ type: 'loaded', id: m.id }),
        (error: unknown) => post({ type: 'loaded', id: m.id, error: toWire(error) }),
      );
      break;
    case 'status': {
      const { queueDepth: _q, ...status } = engine.status();
      post({ type: 'status', status, id: m.id });
      break;
    }
    case 'generate':
      void generate(m.id, m);
      break;
    case 'abort':
      controllers.get(m.id)?.abort();
      break;
    case 'dispose':
      engine.dispose().finally(() => post({ type: 'disposed', id: m.id }));
      break;
  }
});
