namespace Cloister.Model.Api;

/// <summary>An API key added to a usage plan (<c>AWS::ApiGateway::UsagePlanKey</c>).</summary>
/// <param name="Id">Its id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="KeyId">The API key's id.</param>
/// <param name="UsagePlanId">The usage plan's id.</param>
public sealed record UsagePlanKey(string Id, string LogicalId, string KeyId, string UsagePlanId) : IResource;
