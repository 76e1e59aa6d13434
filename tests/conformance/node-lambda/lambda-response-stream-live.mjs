// Drives Cloister's InvokeWithResponseStream with Node's AWS SDK v3 Lambda client (@aws-sdk/client-lambda) over a
// function that streams (awslambda.streamifyResponse): the first PayloadChunk must arrive while the function still runs
// (it writes one piece, then waits until this client, having seen that piece, creates FILE); then a function that
// fails midway. Prints what it observed as one JSON line for the .NET test to check.
// Usage: node lambda-response-stream-live.mjs ENDPOINT FUNCTION FILE
import { writeFileSync } from "node:fs";
import { InvokeWithResponseStreamCommand } from "@aws-sdk/client-lambda";
import { lambdaClient } from "./client.mjs";

const [endpoint, functionName, file] = process.argv.slice(2);
const client = lambdaClient(endpoint);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function stream(event, onChunk) {
  const response = await client.send(new InvokeWithResponseStreamCommand({
    FunctionName: functionName,
    Payload: encoder.encode(JSON.stringify(event)),
  }));
  const events = [];
  for await (const item of response.EventStream ?? []) {
    if (item.PayloadChunk) {
      const text = decoder.decode(item.PayloadChunk.Payload);
      events.push({ chunk: text });
      onChunk?.(text);
    } else if (item.InvokeComplete) {
      events.push({ complete: item.InvokeComplete });
    }
  }
  return { status: response.StatusCode, executedVersion: response.ExecutedVersion, events };
}

const result = {};
result.live = await stream({ action: "wait", file }, (text) => {
  if (text.startsWith("first;")) writeFileSync(file, "seen");
});
result.midway = await stream({ action: "throw-midway" });
result.plain = await stream({});
console.log(JSON.stringify(result));
