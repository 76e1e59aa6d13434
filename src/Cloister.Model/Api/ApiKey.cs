namespace Cloister.Model.Api;

/// <summary>An API key (<c>AWS::ApiGateway::ApiKey</c>): a value callers send in <c>x-api-key</c> (or an authorizer returns).</summary>
/// <param name="Id">Its 10-character id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Value">The key itself, 20 to 128 characters.</param>
/// <param name="Enabled">Whether callers can use it; API Gateway's default is false.</param>
public sealed record ApiKey(string Id, string LogicalId, string Name, string Value, bool Enabled) : IResource
{
    /// <summary>Never prints the key's value.</summary>
    public override string ToString() => $"ApiKey {{ Id = {Id}, Name = {Name}, Enabled = {Enabled} }}";
}
