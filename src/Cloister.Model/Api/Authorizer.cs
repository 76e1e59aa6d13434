using System.Collections.Immutable;

namespace Cloister.Model.Api;

/// <summary>An authorizer of a REST API (<c>AWS::ApiGateway::Authorizer</c> or an OpenAPI <c>x-amazon-apigateway-authorizer</c>).</summary>
/// <param name="Id">Its 6-character id.</param>
/// <param name="LogicalId">The template's logical id (or the security scheme's name).</param>
/// <param name="RestApiId">The API it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="Type">TOKEN, REQUEST or COGNITO_USER_POOLS.</param>
/// <param name="IdentitySource">
/// Where the identity comes from: <c>method.request.header.Authorization</c> for TOKEN; a comma-separated list of
/// <c>method.request.header.X</c>, <c>method.request.querystring.X</c>, <c>stageVariables.X</c>, <c>context.X</c> for REQUEST.
/// </param>
/// <param name="IdentityValidationExpression">A regular expression a TOKEN must match, or null.</param>
/// <param name="ResultTtlInSeconds">How long a result is cached, 0 to 3600; 300 by default.</param>
/// <param name="AuthorizerUri">The Lambda invocation URI, <c>arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations</c>.</param>
/// <param name="AuthorizerCredentials">The role API Gateway assumes to invoke it, or null.</param>
/// <param name="ProviderArns">Cognito user pool ARNs, for COGNITO_USER_POOLS.</param>
public sealed record Authorizer(
    string Id,
    string LogicalId,
    string RestApiId,
    string Name,
    AuthorizerType Type,
    string? IdentitySource,
    string? IdentityValidationExpression,
    int ResultTtlInSeconds,
    string? AuthorizerUri,
    string? AuthorizerCredentials,
    ImmutableArray<string> ProviderArns) : IResource
{
    /// <summary>API Gateway's default result TTL.</summary>
    public const int DefaultResultTtlInSeconds = 300;
}
