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

    /// <summary>The defaults: account <c>000000000000</c> in <c>us-east-1</c>.</summary>
    public static AccountContext Default { get; } = new(DefaultAccountId, DefaultRegion);

    /// <summary>
    /// The context from the environment: <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the default region;
    /// <c>CLOISTER_ACCOUNT_ID</c>, else the default account.
    /// </summary>
    public static AccountContext FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var region = NonEmpty(getVariable("AWS_REGION")) ?? NonEmpty(getVariable("AWS_DEFAULT_REGION")) ?? DefaultRegion;
        var account = NonEmpty(getVariable("CLOISTER_ACCOUNT_ID")) ?? DefaultAccountId;
        return new AccountContext(account, region);
    }

    /// <summary>The DNS suffix of the partition: <c>amazonaws.com</c>, or <c>amazonaws.com.cn</c> in China.</summary>
    public string UrlSuffix => Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
