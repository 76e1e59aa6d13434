// Drives Cloister's Lambda Invoke API with Node's AWS SDK v3 Lambda client (@aws-sdk/client-lambda):
// InvokeWithResponseStream of a response larger than one chunk with LogType Tail, without a payload, of a function
// that throws, as DryRun and as Event; then prints what it observed as one JSON line for the .NET test to check.
// The SDK decodes the event stream itself and checks both CRCs of every message.
// Usage: node lambda-response-stream.mjs ENDPOINT FUNCTION
import { InvokeWithResponseStreamCommand } from "@aws-sdk/client-lambda";
import { lambdaClient } from "./client.mjs";

const [endpoint, functionName] = process.argv.slice(2);
const client = lambdaClient(endpoint);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function stream(input) {
  const response = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: functionName, ...input }));
  const chunks = [];
  let complete = null;
  const order = [];
  for await (const event of response.EventStream ?? []) {
    if (event.PayloadChunk) {
      chunks.push(event.PayloadChunk.Payload);
      order.push("PayloadChunk");
    } else if (event.InvokeComplete) {
      complete = event.InvokeComplete;
      order.push("InvokeComplete");
    }
  }
  const text = decoder.decode(Buffer.concat(chunks.map((c) => Buffer.from(c))));
  return {
    status: response.StatusCode,
    executedVersion: response.ExecutedVersion,
    contentType: response.ResponseStreamContentType,
    chunkSizes: chunks.map((c) => c.length),
    order,
    text,
    complete,
  };
}

async function refused(input) {
  try {
    const answer = await stream(input);
    return { status: answer.status, order: answer.order };
  } catch (error) {
    return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  }
}

const result = {};
const big = "x".repeat(150000);
const large = await stream({ Payload: encoder.encode(JSON.stringify({ data: big })), LogType: "Tail" });
result.large = { ...large, text: undefined, dataLength: JSON.parse(large.text).data.length };
result.large.log = large.complete?.LogResult ? Buffer.from(large.complete.LogResult, "base64").toString("utf8") : null;
result.empty = await stream({});
result.error = await stream({ Payload: encoder.encode(JSON.stringify({ action: "throw" })) });
result.dryRun = await refused({ InvocationType: "DryRun", Payload: encoder.encode("{}") });
result.event = await refused({ InvocationType: "Event", Payload: encoder.encode("{}") });
result.missing = await refused({ FunctionName: functionName + "-missing", Payload: encoder.encode("{}") });
console.log(JSON.stringify(result));
