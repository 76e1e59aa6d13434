// The Node.js test function (ES module, async handler): the same actions in every runtime.
import { appendFileSync } from 'node:fs';

export const handler = async (event, context) => {
  switch (event?.action) {
    case 'throw':
      throw new TypeError('boom from node');
    case 'exit':
      console.log('exiting now');
      process.exit(3);
      break;
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, event.ms));
      return { pid: process.pid };
    case 'big':
      return 'x'.repeat(7 * 1024 * 1024);
    case 'env':
      return process.env;
    case 'log':
      console.log(`hello from ${context.awsRequestId}`);
      return { pid: process.pid };
    case 'pid':
      return { pid: process.pid };
    case 'record':
      appendFileSync(process.env.RECORD, JSON.stringify({ id: context.awsRequestId, client: context.clientContext ?? null }) + '\n');
      if (event.fail) {
        throw new Error('recorded, failing');
      }
      return { pid: process.pid };
    default:
      return event;
  }
};
