namespace Amazon.Lambda.Core;

/// <summary>The shape of Amazon.Lambda.Core's Cognito identity.</summary>
public interface ICognitoIdentity
{
    string IdentityId { get; }

    string IdentityPoolId { get; }
}
