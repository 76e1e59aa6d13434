using System.Diagnostics.CodeAnalysis;

namespace Cloister.Model;

/// <summary>The account, region and partition a sandbox stands in for.</summary>
/// <param name="AccountId">A 12-digit account id.</param>
/// <param name="Region">A region name, such as <c>eu-central-1</c>.</param>
/// <param name="Partition">The partition, <c>aws</c> unless told otherwise.</param>
public sealed record AccountContext(string AccountId, string Region, string Partition = "aws")
{
    /// <summary>The account Cloister uses unless told otherwise.</summary>
    public const string DefaultAccountId = "000000000000";

    /// <summary>The region Cloister uses unless told otherwise.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The environment variable naming the account a sandbox stands in for.</summary>
    public const string AccountVariable = "CLOISTER_ACCOUNT_ID";

    /// <summary>The defaults: account <c>000000000000</c> in <c>us-east-1</c>.</summary>
    public static AccountContext Default { get; } = new(DefaultAccountId, DefaultRegion);

    /// <summary>Whether <paramref name="text"/> is an account id: exactly 12 ASCII digits, as AWS account ids are.</summary>
    public static bool IsAccountId(ReadOnlySpan<char> text) => text.Length == 12 && !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>
    /// The account <c>CLOISTER_ACCOUNT_ID</c> names: null in <paramref name="accountId"/> when it is unset, empty or only
    /// whitespace (the default account then); false, with <paramref name="problem"/> naming the variable and its value,
    /// when it holds anything but an account id. The one check <c>up</c>, <c>deploy</c> and <c>serve dynamodb</c> share.
    /// </summary>
    public static bool TryAccountIdFromEnvironment(Func<string, string?>? getVariable, out string? accountId, [NotNullWhen(false)] out string? problem)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var value = getVariable(AccountVariable);
        accountId = NonEmpty(value);
        problem = null;
        if (accountId is null || IsAccountId(accountId))
        {
            return true;
        }

        accountId = null;
        problem = $"{AccountVariable} '{value}' is not an account id: an account id is exactly 12 digits, such as 123456789012; unset it (or leave it empty) for {DefaultAccountId}.";
        return false;
    }

    /// <summary>The region from the environment: <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the default region.</summary>
    public static string RegionFromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return NonEmpty(getVariable("AWS_REGION")) ?? NonEmpty(getVariable("AWS_DEFAULT_REGION")) ?? DefaultRegion;
    }

    /// <summary>
    /// The context from the environment: <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the default region;
    /// <c>CLOISTER_ACCOUNT_ID</c>, else the default account. False, with the problem, when <c>CLOISTER_ACCOUNT_ID</c> is
    /// set to anything but an account id (see <see cref="TryAccountIdFromEnvironment"/>).
    /// </summary>
    public static bool TryFromEnvironment(Func<string, string?>? getVariable, [NotNullWhen(true)] out AccountContext? context, [NotNullWhen(false)] out string? problem)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        context = null;
        if (!TryAccountIdFromEnvironment(getVariable, out var account, out problem))
        {
            return false;
        }

        context = new AccountContext(account ?? DefaultAccountId, RegionFromEnvironment(getVariable));
        return true;
    }

    /// <summary>The DNS suffix of the partition: <c>amazonaws.com</c>, or <c>amazonaws.com.cn</c> in China.</summary>
    public string UrlSuffix => Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
