// Drives Cloister's DynamoDB-compatible service with Node's AWS SDK v3 and credentials that carry an account id, with no
// endpoint given: the SDK picks DynamoDB's account-based endpoint (https://{account}.ddb.{region}.amazonaws.com) itself.
// Every name it looks up is answered with 127.0.0.1 (as the sandbox's DNS answers it with the service address) and
// recorded; TLS checks the service's certificate against that name with the sandbox CA. Prints one JSON line.
// Usage: node dynamodb-account-endpoint.mjs REGION ACCOUNT PORT CA_PEM TABLE
import { readFileSync } from "node:fs";
import https from "node:https";
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";

const [region, accountId, port, caFile, table] = process.argv.slice(2);
const hosts = [];
const lookup = (hostname, options, callback) => {
  hosts.push(hostname);
  if (options && options.all) {
    callback(null, [{ address: "127.0.0.1", family: 4 }]);
  } else {
    callback(null, "127.0.0.1", 4);
  }
};
const httpsAgent = new https.Agent({ keepAlive: true, lookup, ca: readFileSync(caFile) });
const client = new DynamoDBClient({
  region,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", accountId },
  requestHandler: { httpsAgent },
  maxAttempts: 1,
});
// The SDK resolved its endpoint from the region and the account id; only the port differs from AWS's 443.
client.middlewareStack.add((next) => (args) => {
  args.request.port = Number(port);
  return next(args);
}, { step: "finalizeRequest", name: "loopbackPort" });

await client.send(new CreateTableCommand({
  TableName: table,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
}));
await client.send(new PutItemCommand({ TableName: table, Item: { PK: { S: "a" }, v: { S: "one" } } }));
const got = await client.send(new GetItemCommand({ TableName: table, Key: { PK: { S: "a" } }, ConsistentRead: true }));
httpsAgent.destroy();
console.log(JSON.stringify({ hosts, value: got.Item?.v?.S ?? null }));
