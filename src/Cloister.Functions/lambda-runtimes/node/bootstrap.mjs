// Cloister's Node.js runtime: loads LAMBDA_TASK_ROOT/<file>.<handler> (CommonJS or ES module) and serves it over
// the Lambda Runtime API (2018-06-01), as Lambda's nodejs runtime does. Written for Cloister; no AWS code.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const [apiHost, apiPort] = api.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
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

function request(method, pathName, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: apiPort, method, path: pathName, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) {
      req.setHeader('Content-Length', Buffer.byteLength(body));
      req.setHeader('Content-Type', 'application/json');
      req.end(body);
    } else {
      req.end();
    }
  });
}

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
    throw new HandlerError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
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
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const error = await postError('/2018-06-01/runtime/init/error', err, err.name);
    process.stdout.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(error)}\n`);
    process.exit(1);
  }
  process.on('uncaughtException', (err) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\tERROR\tUncaught Exception \t${JSON.stringify(toError(err))}\n`);
    process.exit(129);
  });
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
    try {
      const result = await run(handler, event, contextFor(headers));
      const body = JSON.stringify(result === undefined ? null : result);
      await request('POST', `/2018-06-01/runtime/invocation/${requestId}/response`, body);
    } catch (err) {
      const error = toError(err);
      process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(error)}\n`);
      await request('POST', `/2018-06-01/runtime/invocation/${requestId}/error`, JSON.stringify(error),
        { 'Lambda-Runtime-Function-Error-Type': error.errorType });
    }
  }
}

main().catch((err) => {
  process.stderr.write(`Cloister node runtime failed: ${err && err.stack}\n`);
  process.exit(1);
});
