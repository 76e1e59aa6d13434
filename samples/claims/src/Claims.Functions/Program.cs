using Amazon.DynamoDBv2;
using Claims.Functions;
using Cloister.Lambda.RuntimeClient;
using Cloister.Lambda.RuntimeClient.ApiGateway;

// One bootstrap for the five claims functions: the function's Handler (_HANDLER) names the operation.
// The DynamoDB client has no endpoint override: the region comes from AWS_REGION, as on AWS Lambda.
// Set up in the initializer, so a missing variable is posted to /runtime/init/error and the caller sees why.
await LambdaRuntime.RunAsync(() =>
{
    var handler = Environment.GetEnvironmentVariable("_HANDLER") ?? throw new InvalidOperationException("_HANDLER is not set.");
    var table = Environment.GetEnvironmentVariable("DYNAMODB_TABLE_NAME") ?? throw new InvalidOperationException("DYNAMODB_TABLE_NAME is not set.");
    var service = new ClaimsService(new AmazonDynamoDBClient(), table);
    return ValueTask.FromResult(LambdaRuntime.Typed(
        async (ApiGatewayProxyRequest request, LambdaContext context) =>
            ProxyMapping.ToProxyResponse(await service.HandleAsync(handler, ProxyMapping.ToClaimRequest(request, context.AwsRequestId)).ConfigureAwait(false)),
        ApiGatewayJsonContext.Default.ApiGatewayProxyRequest,
        ApiGatewayJsonContext.Default.ApiGatewayProxyResponse));
}).ConfigureAwait(false);
