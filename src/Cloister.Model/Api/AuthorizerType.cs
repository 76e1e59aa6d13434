namespace Cloister.Model.Api;

/// <summary>The kinds of REST API authorizer.</summary>
public enum AuthorizerType
{
    /// <summary>A Lambda authorizer given one token from a header.</summary>
    Token,
    /// <summary>A Lambda authorizer given the request's headers, query string, stage variables and context.</summary>
    Request,
    /// <summary>An Amazon Cognito user pool; kept in the model, not run by Cloister.</summary>
    CognitoUserPools,
}
