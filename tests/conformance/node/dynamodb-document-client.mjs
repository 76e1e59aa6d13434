// Drives Cloister's DynamoDB-compatible service with Node's AWS SDK v3 DocumentClient
// (@aws-sdk/lib-dynamodb): Put, Get, Update, Query, Delete and TransactWrite, then prints what it
// observed as one JSON line for the .NET test to check. Usage: node dynamodb-document-client.mjs ENDPOINT TABLE
import { DynamoDBClient, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, QueryCommand, DeleteCommand, TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";

const [endpoint, table] = process.argv.slice(2);
const base = new DynamoDBClient({
  endpoint,
  region: "eu-central-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });

await base.send(new CreateTableCommand({
  TableName: table,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }, { AttributeName: "SK", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }, { AttributeName: "SK", KeyType: "RANGE" }],
}));

const result = {};
await client.send(new PutCommand({
  TableName: table,
  Item: { PK: "CUSTOMER#1", SK: "CLAIM#1", amount: 12.5, tags: new Set(["a", "b"]), meta: { nested: [1, "two", true, null] } },
  ConditionExpression: "attribute_not_exists(PK)",
}));
result.get = (await client.send(new GetCommand({ TableName: table, Key: { PK: "CUSTOMER#1", SK: "CLAIM#1" } }))).Item;
result.update = (await client.send(new UpdateCommand({
  TableName: table,
  Key: { PK: "CUSTOMER#1", SK: "CLAIM#1" },
  UpdateExpression: "SET #s = :s, amount = amount + :inc",
  ExpressionAttributeNames: { "#s": "status" },
  ExpressionAttributeValues: { ":s": "OPEN", ":inc": 0.25 },
  ReturnValues: "UPDATED_NEW",
}))).Attributes;
await client.send(new TransactWriteCommand({
  TransactItems: [
    { Put: { TableName: table, Item: { PK: "CUSTOMER#1", SK: "CLAIM#2", amount: 1 } } },
    { ConditionCheck: { TableName: table, Key: { PK: "CUSTOMER#1", SK: "CLAIM#1" }, ConditionExpression: "#s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": "OPEN" } } },
  ],
}));
try {
  await client.send(new TransactWriteCommand({
    TransactItems: [{ Put: { TableName: table, Item: { PK: "CUSTOMER#1", SK: "CLAIM#2" }, ConditionExpression: "attribute_not_exists(PK)" } }],
  }));
  result.cancelled = "not cancelled";
} catch (error) {
  result.cancelled = `${error.name}:${error.CancellationReasons?.map((reason) => reason.Code).join(",")}`;
}
result.query = (await client.send(new QueryCommand({
  TableName: table,
  KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
  ExpressionAttributeValues: { ":pk": "CUSTOMER#1", ":prefix": "CLAIM#" },
}))).Items.map((item) => item.SK);
await client.send(new DeleteCommand({ TableName: table, Key: { PK: "CUSTOMER#1", SK: "CLAIM#2" } }));
result.afterDelete = (await client.send(new GetCommand({ TableName: table, Key: { PK: "CUSTOMER#1", SK: "CLAIM#2" } }))).Item ?? null;
result.tags = [...result.get.tags].sort();
process.stdout.write(JSON.stringify(result) + "\n");
