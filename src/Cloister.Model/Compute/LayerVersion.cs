using System.Collections.Immutable;

namespace Cloister.Model.Compute;

/// <summary>
/// A Lambda layer version (<c>AWS::Lambda::LayerVersion</c>, SAM's <c>AWS::Serverless::LayerVersion</c>): files a
/// function's execution environments find under <c>/opt</c>, extracted in the order the function lists its layers.
/// </summary>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="LayerName">Its name.</param>
/// <param name="Arn">Its version ARN (<c>arn:aws:lambda:{region}:{account}:layer:{name}:1</c>), which functions list.</param>
/// <param name="ContentPath">A folder or zip on disk, once resolved.</param>
/// <param name="CompatibleRuntimes">The runtimes it says it suits; only a description, Lambda does not enforce it.</param>
/// <param name="CompatibleArchitectures">The architectures it says it suits.</param>
/// <param name="Description">Its description, if any.</param>
public sealed record LayerVersion(
    string LogicalId,
    string LayerName,
    string Arn,
    string ContentPath,
    ImmutableArray<string> CompatibleRuntimes,
    ImmutableArray<string> CompatibleArchitectures,
    string? Description) : IResource
{
    /// <summary>The most layers a function may use.</summary>
    public const int MaxPerFunction = 5;

    /// <summary>The version a template's layer gets: each deployment creates it once, as its first.</summary>
    public const string FirstVersion = "1";

    /// <summary>A layer version is identified by its ARN.</summary>
    public string Id => Arn;
}
