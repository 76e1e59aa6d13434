using System.Globalization;
using Cloister.Model.Compute;

namespace Cloister.Templates.Mapping;

/// <summary>
/// An alias's <c>RoutingConfig</c> (a weighted alias) and the <c>ProvisionedConcurrencyConfig</c> of versions and
/// aliases, checked as Lambda's CreateAlias and PutProvisionedConcurrencyConfig check them, in their words, each at the
/// property it concerns. A deployment publishes one version of a function, so a weighted alias, which needs two, is
/// refused by one of these rules until versions are kept across deployments.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string Weights = "RoutingConfig.AdditionalVersionWeights";
    private const string Provisioned = "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions";

    /// <summary>The alias's additional version and its weight, or null (none, or refused and reported).</summary>
    private VersionWeight? AdditionalVersion(PropertyReader r, LambdaFunction function, string primary)
    {
        if (r.Map("RoutingConfig") is not { } routing)
        {
            return null;
        }

        var items = r.Maps(routing, "AdditionalVersionWeights", Weights);
        if (items.Length > 1)
        {
            r.Problem(Weights, "Number of items in AdditionalVersionWeights cannot be greater than 1");
            return null;
        }

        if (items.IsEmpty)
        {
            return null;
        }

        var path = Weights + "[0]";
        var version = r.String(items[0], "FunctionVersion", path + ".FunctionVersion", required: true);
        var written = r.String(items[0], "FunctionWeight", path + ".FunctionWeight", required: true);
        if (version is null || written is null)
        {
            return null;
        }

        // Lambda's validation words (CreateAlias); the range is the API reference's, 0.0 to 1.0.
        var constraint = $"1 validation error detected: Value '{{{version}={written}}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: ";
        if (!double.TryParse(written, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight is < 0.0 or > 1.0)
        {
            r.Problem(path + ".FunctionWeight", constraint + "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]");
            return null;
        }

        string? refusal = version == primary
            ? $"Invalid function version {primary}. Function version {primary} is already included in routing configuration."
            : primary == LatestVersion ? "$LATEST is not supported for an alias pointing to more than 1 version"
            : version.Length == 0 || !version.All(char.IsAsciiDigit) ? constraint + "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]"
            : !function.Versions.Any(v => v.Version == version) ? $"Function not found: {LambdaFunction.ArnOf(account, function.FunctionName)}:{version}"
            : null;
        if (refusal is not null)
        {
            r.Problem(path + ".FunctionVersion", refusal);
            return null;
        }

        return new VersionWeight(version, weight);
    }

    /// <summary>An alias's provisioned concurrency: not on <c>$LATEST</c>, not on a weighted alias, not on a provisioned version.</summary>
    private static int? AliasProvisionedConcurrency(PropertyReader r, LambdaFunction function, FunctionAlias alias)
    {
        var refusal = alias.FunctionVersion == LatestVersion ? "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
            : alias.AdditionalVersion is not null ? "Alias with weights can not be used with Provisioned Concurrency"
            : function.Versions.Any(v => v.Version == alias.FunctionVersion && v.ProvisionedConcurrency is not null)
                ? "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
            : null;
        if (refusal is not null)
        {
            r.Problem("ProvisionedConcurrencyConfig", refusal);
            return null;
        }

        return ProvisionedConcurrency(r, function, function.Versions.Sum(v => v.ProvisionedConcurrency ?? 0) + function.Aliases.Sum(a => a.ProvisionedConcurrency ?? 0));
    }

    /// <summary>
    /// <c>ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions</c> (at least 1; with what the function's other
    /// versions and aliases already have, <paramref name="others"/>, at most its reserved concurrency), or null.
    /// </summary>
    private static int? ProvisionedConcurrency(PropertyReader r, LambdaFunction function, int others)
    {
        if (r.Map("ProvisionedConcurrencyConfig") is not { } config)
        {
            return null;
        }

        if (config.Get("ProvisionedConcurrentExecutions") is null)
        {
            r.Problem(Provisioned, "is required.");
            return null;
        }

        var count = r.Int(config, "ProvisionedConcurrentExecutions", Provisioned, 0);
        if (count < 1)
        {
            r.Problem(Provisioned, $"1 validation error detected: Value '{count}' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1");
            return null;
        }

        if (function.ReservedConcurrency is { } reserved && others + count > reserved)
        {
            r.Problem(Provisioned, "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
            return null;
        }

        return count;
    }
}
