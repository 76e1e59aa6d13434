namespace Cloister.Model.Api;

/// <summary>A request validator of a REST API (<c>AWS::ApiGateway::RequestValidator</c> or <c>x-amazon-apigateway-request-validators</c>).</summary>
/// <param name="Id">Its id, which methods' <c>RequestValidatorId</c> names.</param>
/// <param name="Name">Its name.</param>
/// <param name="ValidateRequestBody">Whether the body is checked against the method's model for its content type.</param>
/// <param name="ValidateRequestParameters">Whether the method's required parameters must be present and not blank.</param>
public sealed record RequestValidator(string Id, string Name, bool ValidateRequestBody, bool ValidateRequestParameters);
