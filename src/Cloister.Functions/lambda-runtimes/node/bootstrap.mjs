// Cloister's Node.js runtime: loads LAMBDA_TASK_ROOT/<file>.<handler> (CommonJS or ES module) and serves it over
// the Lambda Runtime API (2018-06-01), as Lambda's nodejs runtime does. Written for Cloister; no AWS code.
import net from 'node:net';
import http from 'node:http';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const [apiHost, apiPort] = api.split(':');
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || '';

let currentRequestId = undefined;

// Lambda's console: each call is one log event "<time>\t<request id>\t<LEVEL>\t<message>", its newlines as \r.
function patchConsole() {
  const write = (level) => (...args) => {
    const message = util.format(...args).replace(/\n/g, '\r');
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}\n`);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
}

// One kept-alive HTTP/1.1 connection over a plain socket: the Runtime API is one local server answering a few
// fixed requests with Content-Length bodies, and node:http's client costs more than the rest of an invocation.
class RuntimeConnection {
  constructor(host, port) {
    this.host = host;
    this.port = Number(port);
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.pending = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port }, () => {
        socket.setNoDelay(true);
        resolve();
      });
      socket.on('data', (data) => {
        this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
        this.parse();
      });
      socket.on('error', (err) => {
        this.fail(err);
        reject(err);
      });
      socket.on('close', () => {
        this.socket = null;
        this.buffer = Buffer.alloc(0);
        this.fail(new Error('The Runtime API closed the connection'));
      });
      this.socket = socket;
    });
  }

  fail(err) {
    const pending = this.pending;
    this.pending = null;
    if (pending) pending.reject(err);
  }

  parse() {
    if (!this.pending) return;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    // Header values are UTF-8 (a client context may hold any character), as Lambda's Runtime API sends them.
    const lines = this.buffer.toString('utf8', 0, end).split('\r\n');
    const status = Number.parseInt(lines[0].slice(9, 12), 10);
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
    }
    if (headers['transfer-encoding']) {
      this.fail(new Error('The Runtime API sent a chunked response'));
      return;
    }
    const length = Number.parseInt(headers['content-length'] ?? '0', 10);
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length);
    this.buffer = this.buffer.subarray(end + 4 + length);
    const pending = this.pending;
    this.pending = null;
    pending.resolve({ status, headers, body });
  }

  async request(method, pathName, body, headers = {}) {
    if (!this.socket) await this.connect();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      let head = `${method} ${pathName} HTTP/1.1\r\nHost: ${api}\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${String(value).replace(/[\r\n]/g, ' ')}\r\n`;
      if (body === undefined) {
        this.socket.write(head + '\r\n');
      } else {
        const payload = Buffer.from(body, 'utf8');
        head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
        this.socket.write(payload.length < 64 * 1024 ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : head);
        if (payload.length >= 64 * 1024) this.socket.write(payload);
      }
    });
  }
}

const connection = new RuntimeConnection(apiHost, apiPort);
const request = (method, pathName, body, headers) => connection.request(method, pathName, body, headers);

function toError(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: (err.stack || '').split('\n') };
  }
  return { errorType: typeof err === 'string' ? 'string' : typeof err, errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

async function postError(pathName, err, type) {
  const error = toError(err);
  const body = JSON.stringify(error);
  await request('POST', pathName, body, { 'Lambda-Runtime-Function-Error-Type': type || error.errorType });
  return error;
}

class HandlerError extends Error {
  constructor(name, message) { super(message); this.name = name; }
}

// Lambda's wrapper for the reason of a promise rejection nobody handled: its message is the reason as a string.
class UnhandledPromiseRejection extends Error {
  constructor(reason) { super(reason); this.name = 'Runtime.UnhandledPromiseRejection'; }
}

// An error that escapes the handler (an uncaught exception, an unhandled rejection) ends the runtime, as on Lambda:
// it is first posted as the error of the invocation under way (the last one, if none is; before the first, as the init
// error), on a connection of its own since the loop's may be waiting for the next invocation, then the process exits
// (129 after an exception, 128 after a rejection).
let escaping = false;
function escaped(label, err, code) {
  const error = toError(err);
  process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} \t${JSON.stringify(error)}\n`);
  if (escaping) return;
  escaping = true;
  const pathName = currentRequestId === undefined
    ? '/2018-06-01/runtime/init/error'
    : `/2018-06-01/runtime/invocation/${currentRequestId}/error`;
  new RuntimeConnection(apiHost, apiPort)
    .request('POST', pathName, JSON.stringify(error), { 'Lambda-Runtime-Function-Error-Type': error.errorType })
    .catch(() => {})
    .finally(() => process.exit(code));
}

// Lambda's Node.js runtime posts results through aws-lambda-cpp, which logs a refused post (413 over 6 MB, 403 for an
// invocation already answered) in its own format on stdout, the same words for a response and an error, and goes on:
// the runtime client does not look at the outcome, and the loop asks for the next invocation.
function refused(answer) {
  if (answer.status >= 200 && answer.status <= 299) return;
  process.stdout.write(`[ERROR] [${Date.now()}] LAMBDA_RUNTIME Failed to post handler success response. Http response code: ${answer.status}. ${answer.body.toString('utf8')}\n`);
}

// Response streaming, as Lambda's Node.js runtime offers it: awslambda.streamifyResponse(handler) marks a handler
// (event, responseStream, context) whose response is streamed to the Runtime API as it writes it, and
// awslambda.HttpResponseStream.from(stream, metadata) starts a function URL's answer (its JSON prelude, then 8 zero bytes).
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[STREAMING] = 'response';
    return handler;
  },
  HttpResponseStream: {
    from(stream, metadata) {
      stream.setContentType('application/vnd.awslambda.http-integration-response');
      stream.write(JSON.stringify(metadata ?? {}));
      stream.write(Buffer.alloc(8));
      return stream;
    },
  },
};

// One streamed response: a POST of .../response with Lambda-Runtime-Function-Response-Mode: streaming and a chunked body,
// on a connection of its own that goes with it (Lambda asks a runtime to close it after the response). It is opened at the
// first write (or the end), so a handler that fails before writing anything posts its error to /error as any handler
// does; one that fails after names its error in the body's trailers, the only way left once the body has begun.
function responseStream(requestId) {
  let post = null;
  let contentType = 'application/octet-stream';
  let answer = null;
  const open = () => {
    if (post) return post;
    post = http.request({
      host: apiHost,
      port: Number(apiPort),
      method: 'POST',
      path: `/2018-06-01/runtime/invocation/${requestId}/response`,
      agent: false,
      headers: {
        'Content-Type': contentType,
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    });
    answer = new Promise((resolve) => {
      post.on('response', (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts) }));
      });
      post.on('error', (err) => resolve({ status: 0, body: Buffer.from(err.message) }));
    });
    post.setNoDelay(true);
    post.flushHeaders();
    return post;
  };
  // Each piece goes to the connection at once; the next waits only while the connection's buffer is full.
  const writable = new Writable({
    write(chunk, encoding, callback) {
      if (open().write(chunk)) callback();
      else post.once('drain', () => callback());
    },
    final(callback) { open().end(callback); },
  });
  // A handler's destroy(err) is its failure, seen by finish() below, not an uncaught exception ending the runtime.
  writable.on('error', () => {});
  writable.setContentType = (type) => { contentType = String(type); };
  return {
    writable,
    get started() { return post !== null; },
    // The handler is done: the stream ends (ended for it if it did not end it) and the Runtime API's answer is awaited.
    async finish() {
      if (!writable.writableEnded) writable.end();
      await finished(writable);
      return answer;
    },
    // The handler failed after the stream began: its error goes in the trailers, then the body ends.
    async fail(error) {
      // What the handler wrote and the stream still holds is dropped: the body ends with the error now.
      writable.destroy();
      if (!post.writableEnded) {
        post.addTrailers({
          'Lambda-Runtime-Function-Error-Type': error.errorType,
          'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
        });
        post.end();
      }
      return answer;
    },
  };
}

async function runStreaming(handler, event, context, requestId) {
  const stream = responseStream(requestId);
  try {
    await handler(event, stream.writable, context);
    refused(await stream.finish());
  } catch (err) {
    const error = toError(err);
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}\n`);
    refused(stream.started
      ? await stream.fail(error)
      : await request('POST', `/2018-06-01/runtime/invocation/${requestId}/error`, JSON.stringify(error),
        { 'Lambda-Runtime-Function-Error-Type': error.errorType }));
  }
}

function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (dir === path.dirname(dir) || !dir.startsWith(taskRoot)) return false;
  }
}

async function loadHandler() {
  const dot = handlerName.lastIndexOf('.');
  if (dot <= 0) throw new HandlerError('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const modulePath = handlerName.slice(0, dot);
  const members = handlerName.slice(dot + 1).split('.');
  const base = path.resolve(taskRoot, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) {
    // Lambda's words, whose require stack is its runtime's file (/var/runtime/index.mjs); here this bootstrap.
    throw new HandlerError('Runtime.ImportModuleError',
      `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${fileURLToPath(import.meta.url)}`);
  }
  let mod;
  try {
    if (isEsm(file)) {
      mod = await import(pathToFileURL(file).href);
    } else {
      mod = createRequire(file)(file);
    }
  } catch (err) {
    if (err instanceof SyntaxError) throw new HandlerError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`);
    throw new HandlerError('Runtime.ImportModuleError', `${err.name || 'Error'}: ${err.message}`);
  }
  let fn = mod;
  for (const member of members) fn = fn?.[member] ?? (fn?.default ? fn.default[member] : undefined);
  if (typeof fn !== 'function') {
    throw new HandlerError('Runtime.HandlerNotFound', `${modulePath}.${members.join('.')} is undefined or not exported`);
  }
  return fn;
}

function contextFor(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  if (headers['lambda-runtime-client-context']) context.clientContext = JSON.parse(headers['lambda-runtime-client-context']);
  if (headers['lambda-runtime-cognito-identity']) context.identity = JSON.parse(headers['lambda-runtime-cognito-identity']);
  return context;
}

function run(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err); else resolve(result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (err) => callback(err ?? new Error('handled'));
    try {
      const result = handler(event, context, callback);
      if (result && typeof result.then === 'function') {
        result.then((value) => callback(null, value), (err) => callback(err ?? new Error('Promise rejected')));
      } else if (handler.length < 3 && !settled) {
        callback(null, result);
      }
    } catch (err) {
      callback(err);
    }
  });
}

async function main() {
  patchConsole();
  process.on('uncaughtException', (err) => escaped('Uncaught Exception', err, 129));
  process.on('unhandledRejection', (reason) => escaped('Unhandled Promise Rejection', new UnhandledPromiseRejection(reason), 128));
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const error = await postError('/2018-06-01/runtime/init/error', err, err.name);
    process.stdout.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(error)}\n`);
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/2018-06-01/runtime/invocation/next');
    const headers = next.headers;
    const requestId = headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    const text = next.body.toString('utf8');
    let event;
    try { event = text.length ? JSON.parse(text) : null; } catch { event = text; }
    if (handler[STREAMING] === 'response') {
      await runStreaming(handler, event, contextFor(headers), requestId);
      continue;
    }
    try {
      const result = await run(handler, event, contextFor(headers));
      const body = JSON.stringify(result === undefined ? null : result);
      refused(await request('POST', `/2018-06-01/runtime/invocation/${requestId}/response`, body));
    } catch (err) {
      const error = toError(err);
      process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}\n`);
      refused(await request('POST', `/2018-06-01/runtime/invocation/${requestId}/error`, JSON.stringify(error),
        { 'Lambda-Runtime-Function-Error-Type': error.errorType }));
    }
  }
}

main().catch((err) => {
  process.stderr.write(`Cloister node runtime failed: ${err && err.stack}\n`);
  process.exit(1);
});
