using Cloister.Functions.Environments;
using Cloister.Model.Compute;

namespace Cloister.Functions;

/// <summary>
/// A function's weighted aliases and provisioned concurrency, checked as Lambda checks them (CreateAlias,
/// PutProvisionedConcurrencyConfig) before anything starts.
/// </summary>
public sealed partial class LambdaService
{
    /// <summary>
    /// What the unreserved pool keeps for functions without provisioned concurrency: Lambda keeps 100 of an account's
    /// 1000; Cloister's pool is <see cref="FunctionsOptions.UnreservedConcurrencyLimit"/> (32), so it keeps one.
    /// </summary>
    private const int MinimumUnreserved = 1;

    /// <summary>
    /// How many provisioned environments each published version keeps: its own provisioned concurrency and that of the
    /// aliases pointing at it (an alias's provisioned concurrency is environments of its version). Adds every problem.
    /// </summary>
    private static Dictionary<string, int> ProvisionedByVersion(LambdaFunction function, List<string> problems)
    {
        var name = function.FunctionName;
        var byVersion = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var version in function.Versions.Where(v => v.ProvisionedConcurrency is not null))
        {
            if (Positive(name, "version " + version.Version, version.ProvisionedConcurrency!.Value, problems))
            {
                byVersion[version.Version] = version.ProvisionedConcurrency.Value;
            }
        }

        foreach (var alias in function.Aliases)
        {
            CheckRouting(function, alias, problems);
            if (alias.ProvisionedConcurrency is not { } count || !Positive(name, "alias " + alias.Name, count, problems))
            {
                continue;
            }

            if (alias.FunctionVersion == FunctionDefinition.Latest)
            {
                problems.Add($"Function {name}: alias {alias.Name}: Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
            }
            else if (alias.AdditionalVersion is not null)
            {
                problems.Add($"Function {name}: alias {alias.Name}: Alias with weights can not be used with Provisioned Concurrency");
            }
            else if (function.Versions.Any(v => v.Version == alias.FunctionVersion && v.ProvisionedConcurrency is not null))
            {
                problems.Add($"Function {name}: alias {alias.Name}: Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
            }
            else
            {
                byVersion[alias.FunctionVersion] = byVersion.GetValueOrDefault(alias.FunctionVersion) + count;
            }
        }

        if (function.ReservedConcurrency is { } reserved && byVersion.Values.Sum() > reserved)
        {
            problems.Add($"Function {name}: Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
        }

        return byVersion;
    }

    private static bool Positive(string function, string qualifier, int count, List<string> problems)
    {
        if (count >= 1)
        {
            return true;
        }

        problems.Add($"Function {function}: {qualifier}: provisioned concurrency must be at least 1, not {count}.");
        return false;
    }

    /// <summary>A weighted alias: one additional version, published, not its own, weighted 0.0 to 1.0, its own not <c>$LATEST</c>.</summary>
    private static void CheckRouting(LambdaFunction function, FunctionAlias alias, List<string> problems)
    {
        if (alias.AdditionalVersion is not { } additional)
        {
            return;
        }

        var prefix = $"Function {function.FunctionName}: alias {alias.Name}: ";
        if (double.IsNaN(additional.FunctionWeight) || additional.FunctionWeight is < 0.0 or > 1.0)
        {
            problems.Add(prefix + $"the weight of version {additional.FunctionVersion} must be between 0.0 and 1.0, not {additional.FunctionWeight}.");
        }
        else if (additional.FunctionVersion == alias.FunctionVersion)
        {
            problems.Add(prefix + $"Invalid function version {alias.FunctionVersion}. Function version {alias.FunctionVersion} is already included in routing configuration.");
        }
        else if (alias.FunctionVersion == FunctionDefinition.Latest)
        {
            problems.Add(prefix + "$LATEST is not supported for an alias pointing to more than 1 version");
        }
        else if (!function.Versions.Any(v => v.Version == additional.FunctionVersion))
        {
            problems.Add(prefix + $"its additional version {additional.FunctionVersion} is not a version of the function.");
        }
    }
}
