namespace Cloister.Model.Compute;

/// <summary>
/// A published version of a function (<c>AWS::Lambda::Version</c>, or the one SAM's <c>AutoPublishAlias</c>
/// publishes): a snapshot of the function's code and configuration when it was published. In a template deployment
/// every version is published from the function as the template writes it, so its snapshot is the same as
/// <c>$LATEST</c>'s.
/// </summary>
/// <param name="LogicalId">The template's logical id of the version.</param>
/// <param name="Version">Its number, <c>1</c>, <c>2</c>…, as Lambda numbers a function's versions.</param>
/// <param name="Description">Its description, if the template gives one.</param>
/// <param name="Configuration">The function as published: code, handler, runtime, environment, memory, timeout, role.</param>
public sealed record FunctionVersion(string LogicalId, string Version, string? Description, LambdaFunction Configuration)
{
    /// <summary>
    /// Its provisioned concurrency (<c>ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions</c>): environments of
    /// this version initialized at deploy and kept warm. Null for none.
    /// </summary>
    public int? ProvisionedConcurrency { get; init; }
}
