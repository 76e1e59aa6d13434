using System.Text.RegularExpressions;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Shared.Validation;

namespace Cloister.Functions.Refusals;

/// <summary>
/// What Lambda checks of the function a request names before it looks for it (Invoke's, InvokeWithResponseStream's,
/// GetFunction's and GetFunctionConfiguration's <c>FunctionName</c>, and the <c>Qualifier</c> query parameter): the
/// API reference's constraints, every one broken listed in one 400 <c>ValidationException</c> as AWS words them; then an
/// ARN of another Region is 404 <c>ResourceNotFoundException</c> "Functions from '{region}' are not reachable in this
/// region ('{region}')", as Lambda answers it, and one of another account or partition is the 404 of a function that
/// does not exist (the sandbox is one account), rather than this account's function of that name. The Invoke API and
/// <c>cloister invoke</c> (<see cref="LambdaService.InvokeRequestAsync"/>) both apply it, each once.
/// </summary>
internal static partial class FunctionNameCheck
{
    // The API reference's NamespacedFunctionName and Qualifier.
    private const string NamePattern = @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";
    private const int MaxNameLength = 170;
    private const string QualifierPattern = "(|[a-zA-Z0-9$_-]+)";
    private const int MaxQualifierLength = 128;

    /// <summary>
    /// Null when <paramref name="reference"/> (and <paramref name="qualifier"/>, the query parameter as sent, empty
    /// when given empty, null when absent) may name a function of <paramref name="account"/>; else Lambda's refusal.
    /// </summary>
    /// <remarks>
    /// <paramref name="invoke"/> adds an invocation's own members, which Invoke's model lists between
    /// <c>FunctionName</c> and <c>Qualifier</c> (<c>InvocationType</c>, <c>LogType</c>), so one refusal lists every
    /// violation in the model's order.
    /// </remarks>
    public static InvocationResult? Refuse(string reference, string? qualifier, AccountContext account, InvokeMembers? invoke = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(account);
        var violations = new ConstraintViolations();
        var match = Name().Match(reference);
        Check(violations, reference, "functionName", match.Success, NamePattern, MaxNameLength);
        if (invoke is { } members)
        {
            InvokeRequestCheck.CheckType(violations, members.InvocationType, members.Streaming);
            InvokeRequestCheck.CheckLogType(violations, members.LogType);
        }

        if (qualifier is not null)
        {
            Check(violations, qualifier, "qualifier", Qualifier().IsMatch(qualifier), QualifierPattern, MaxQualifierLength);
        }

        if (violations.Any)
        {
            return Refusal.Validation(violations.Message, Guid.NewGuid().ToString());
        }

        // A region or account is read only from an ARN or a partial ARN with its account: "ab-cd-1:x" is function ab-cd-1's alias x.
        var partition = match.Groups[2];
        var region = match.Groups[3];
        var owner = match.Groups[5];
        if (!match.Groups[1].Success && !owner.Success)
        {
            return null;
        }

        if (region.Success && region.Value[..^1] != account.Region)
        {
            return Refusal.ResourceNotFound($"Functions from '{region.Value[..^1]}' are not reachable in this region ('{account.Region}')", Guid.NewGuid().ToString());
        }

        if ((owner.Success && owner.Value[..^1] != account.AccountId) || (partition.Success && partition.Value != account.Partition))
        {
            var elsewhere = account with { AccountId = owner.Success ? owner.Value[..^1] : account.AccountId, Partition = partition.Success ? partition.Value : account.Partition };
            var name = LambdaFunction.NameOf(reference, out var derived);
            return Refusal.FunctionNotFound(LambdaFunction.ArnOf(elsewhere, name, derived ?? (qualifier is { Length: > 0 } ? qualifier : null)), Guid.NewGuid().ToString());
        }

        return null;
    }

    // Lambda lists a member's pattern before its length.
    private static void Check(ConstraintViolations violations, string value, string member, bool matches, string pattern, int maxLength)
    {
        violations.Pattern(value, member, matches, pattern);
        violations.Length(value, member, 1, maxLength);
    }

    [GeneratedRegex(@"\A(?:" + NamePattern + @")\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Name();

    [GeneratedRegex(@"\A(?:" + QualifierPattern + @")\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Qualifier();
}
