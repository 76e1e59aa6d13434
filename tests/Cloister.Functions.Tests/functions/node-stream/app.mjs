// The response streaming test function: a handler wrapped by awslambda.streamifyResponse, as on Lambda's Node.js runtime.
import { existsSync } from 'node:fs';

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.setContentType('text/plain');
  switch (event?.action) {
    case 'wait':
      // One piece, then nothing more until the caller, having seen it, creates event.file.
      responseStream.write('first;');
      while (!existsSync(event.file)) await pause(10);
      responseStream.write('second;');
      responseStream.end();
      return;
    case 'throw-midway':
      responseStream.write('partial;');
      await pause(10);
      throw new RangeError('broke midway');
    case 'destroy':
      responseStream.write('partial;');
      await pause(10);
      responseStream.destroy(new SyntaxError('destroyed midway'));
      return;
    case 'throw-first':
      throw new TypeError('broke before writing');
    case 'big': {
      const piece = Buffer.alloc(1024 * 1024, 'z');
      for (let i = 0; i < event.mb; i++) {
        if (!responseStream.write(piece)) await new Promise((resolve) => responseStream.once('drain', resolve));
      }
      responseStream.end();
      return;
    }
    case 'no-end':
      responseStream.write('left open');
      return;
    default:
      for (const word of ['a', 'b', 'c']) {
        responseStream.write(word);
        await pause(5);
      }
      responseStream.end();
  }
});
