namespace Cloister.Policy;

/// <summary>
/// The API a resource policy belongs to, which the shorthand <c>execute-api:/{stage}/{METHOD}/{path}</c>
/// expands with: <c>arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}</c>.
/// </summary>
/// <param name="Region">The API's region.</param>
/// <param name="Account">The API's account.</param>
/// <param name="ApiId">The REST API id.</param>
/// <param name="Partition">The partition, <c>aws</c> unless told otherwise.</param>
public sealed record ExecuteApiScope(string Region, string Account, string ApiId, string Partition = "aws")
{
    /// <summary>The ARN prefix the shorthand expands to, up to and including the api id.</summary>
    public string ArnPrefix => $"arn:{Partition}:execute-api:{Region}:{Account}:{ApiId}";
}
