namespace Cloister.Model.Compute;

/// <summary>An alias of a function (<c>AWS::Lambda::Alias</c>): a name that invokes one of its versions.</summary>
/// <param name="LogicalId">The template's logical id of the alias.</param>
/// <param name="Name">Its name (Lambda's pattern <c>(?!^[0-9]+$)([a-zA-Z0-9-_]+)</c>).</param>
/// <param name="FunctionVersion">The version it invokes: a published version's number, or <c>$LATEST</c>.</param>
/// <param name="Description">Its description, if the template gives one.</param>
public sealed record FunctionAlias(string LogicalId, string Name, string FunctionVersion, string? Description)
{
    /// <summary>
    /// A weighted alias's second version (Lambda allows one): it runs that share of the alias's invocations, the alias's
    /// <see cref="FunctionVersion"/> the rest. Null for an alias that runs one version.
    /// </summary>
    public VersionWeight? AdditionalVersion { get; init; }

    /// <summary>
    /// Its provisioned concurrency (<c>ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions</c>): environments of
    /// the version it points at, initialized at deploy and kept warm. Null for none.
    /// </summary>
    public int? ProvisionedConcurrency { get; init; }
}
