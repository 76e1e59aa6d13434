// The Lambda client the conformance scripts share: Node's AWS SDK v3 client pointed at Cloister, one attempt per call.
import { LambdaClient } from "@aws-sdk/client-lambda";

export const lambdaClient = (endpoint) => new LambdaClient({
  endpoint,
  region: "eu-central-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
