using System.Globalization;

namespace Cloister.Templates.Mapping;

/// <summary>
/// The names CreateLoadBalancer and CreateTargetGroup refuse, in ELB's words: longer than 32 characters, a character
/// other than an ASCII letter, digit or hyphen, a hyphen first or last, and a load balancer name starting with
/// <c>internal-</c> (ELB puts that prefix in the DNS name of its internal load balancers). A target group name with two
/// hyphens in a row also fails ELB's name pattern. Only a name the template gives is checked; the names made up for
/// the others are within the rules.
/// </summary>
internal sealed partial class ModelBuilder
{
    private const int MaxLoadBalancingNameLength = 32;

    private static void CheckLoadBalancerName(PropertyReader r)
    {
        if (r.String("Name") is not { } name)
        {
            return;
        }

        var problem = name switch
        {
            _ when name.Length > MaxLoadBalancingNameLength => $"cannot be longer than '{MaxLoadBalancingNameLength.ToString(CultureInfo.InvariantCulture)}' characters",
            _ when !IsAlphanumericOrHyphen(name) => "can only contain characters that are alphanumeric characters or hyphens(-)",
            _ when name.StartsWith("internal-", StringComparison.Ordinal) => "cannot begin with 'internal-'",
            _ when name.StartsWith('-') => "cannot begin with a hyphen(-)",
            _ when name.EndsWith('-') => "cannot end with a hyphen(-)",
            _ => null,
        };
        if (problem is not null)
        {
            r.Problem("Name", $"The load balancer name '{name}' {problem}");
        }
    }

    private static void CheckTargetGroupName(PropertyReader r)
    {
        if (r.String("Name") is not { } name)
        {
            return;
        }

        if (name.Length > MaxLoadBalancingNameLength)
        {
            r.Problem("Name", $"Target group name '{name}' cannot be longer than '{MaxLoadBalancingNameLength.ToString(CultureInfo.InvariantCulture)}' characters");
        }
        else if (!IsAlphanumericOrHyphen(name))
        {
            r.Problem("Name", $"Target group name '{name}' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        else if (name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            r.Problem(
                "Name",
                $"1 validation error detected: Value '{name}' at 'targetGroup.targetGroupArn.targetGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!.*--)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$");
        }
    }

    private static bool IsAlphanumericOrHyphen(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
