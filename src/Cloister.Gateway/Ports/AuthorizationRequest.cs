namespace Cloister.Gateway.Ports;

/// <summary>What a policy is evaluated against: the action, the method ARN and the request's condition keys.</summary>
/// <param name="Action">Always <c>execute-api:Invoke</c> for the data plane.</param>
/// <param name="Resource">The method ARN, <c>arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}</c>.</param>
/// <param name="Context">
/// Condition keys with their values, keys as AWS spells them (<c>aws:SourceVpce</c>, <c>aws:SourceVpc</c>,
/// <c>aws:VpcSourceIp</c>, <c>aws:SourceIp</c>, <c>aws:SecureTransport</c>, <c>aws:CurrentTime</c>,
/// <c>aws:EpochTime</c>, <c>aws:UserAgent</c>, <c>aws:Referer</c>, <c>aws:SourceArn</c>), looked up case-insensitively.
/// A key absent from the request is absent from the map.
/// </param>
public sealed record AuthorizationRequest(string Action, string Resource, IReadOnlyDictionary<string, string> Context)
{
    /// <summary>The action API Gateway authorizes every data-plane call as.</summary>
    public const string InvokeAction = "execute-api:Invoke";
}
