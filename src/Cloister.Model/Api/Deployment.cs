namespace Cloister.Model.Api;

/// <summary>A deployment: a snapshot of an API's resources, methods and policy that stages serve.</summary>
/// <param name="Id">Its 10-character id.</param>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="RestApiId">The API it snapshots.</param>
/// <param name="Snapshot">The API as it was when deployed.</param>
/// <param name="CreatedDate">When it was made.</param>
public sealed record Deployment(string Id, string LogicalId, string RestApiId, RestApi Snapshot, DateTimeOffset CreatedDate) : IResource;
