using System.Collections.Immutable;

namespace Cloister.Model.Compute;

/// <summary>A Lambda function.</summary>
/// <param name="LogicalId">The template's logical id.</param>
/// <param name="FunctionName">Its name (the function is identified by it).</param>
/// <param name="Runtime">Such as <c>provided.al2023</c>, <c>dotnet8</c>, <c>nodejs20.x</c>, <c>python3.12</c>.</param>
/// <param name="Handler">The handler, as the runtime reads it.</param>
/// <param name="CodePath">A folder or zip on disk, once resolved.</param>
/// <param name="InlineCode">Inline source (<c>ZipFile</c>), if given instead.</param>
/// <param name="MemorySize">MB, 128 by default.</param>
/// <param name="TimeoutSeconds">Seconds, 3 by default.</param>
/// <param name="Environment">Its environment variables.</param>
/// <param name="Vpc">Its VPC configuration, if in a VPC.</param>
/// <param name="ReservedConcurrency">Its reserved concurrency, if set.</param>
/// <param name="RoleArn">Its execution role's ARN (<c>Role</c>), whose credentials the function receives; null in models built without one.</param>
public sealed record LambdaFunction(
    string LogicalId,
    string FunctionName,
    string Runtime,
    string? Handler,
    string? CodePath,
    string? InlineCode,
    int MemorySize,
    int TimeoutSeconds,
    ImmutableDictionary<string, string> Environment,
    VpcConfig? Vpc,
    int? ReservedConcurrency,
    string? RoleArn = null) : IResource
{
    /// <summary>Lambda's default memory size.</summary>
    public const int DefaultMemorySize = 128;

    /// <summary>Lambda's default timeout.</summary>
    public const int DefaultTimeoutSeconds = 3;

    /// <summary>The most tags a user may give a function (AWS's tagging limit; tags AWS adds, <c>aws:</c>..., are not counted).</summary>
    public const int MaxUserTags = 50;

    /// <summary>The longest tag key, in characters.</summary>
    public const int MaxTagKeyLength = 128;

    /// <summary>The longest tag value, in characters.</summary>
    public const int MaxTagValueLength = 256;

    /// <summary>
    /// Its tags as ListTags shows them: the template's (SAM's <c>lambda:createdBy</c> among them) and the ones
    /// CloudFormation adds to what it creates (<c>aws:cloudformation:stack-name</c>, <c>logical-id</c>, <c>stack-id</c>).
    /// Keys are case-sensitive.
    /// </summary>
    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Its resource-based policies: the permissions granted on it (<c>AWS::Lambda::Permission</c>), in template order.
    /// Lambda keeps one policy per qualifier: a statement applies to the function itself (and <c>$LATEST</c>) when its
    /// <see cref="PermissionStatement.Qualifier"/> is null, else only to that alias or version.
    /// </summary>
    public ImmutableArray<PermissionStatement> Permissions { get; init; } = [];

    /// <summary>Its published versions, numbered 1, 2… in the order they were published.</summary>
    public ImmutableArray<FunctionVersion> Versions { get; init; } = [];

    /// <summary>Its aliases, each pointing at one of <see cref="Versions"/> or at <c>$LATEST</c>.</summary>
    public ImmutableArray<FunctionAlias> Aliases { get; init; } = [];

    /// <summary>Its layers (<c>Layers</c>), in the order they are extracted into <c>/opt</c>: a later one's files replace an earlier one's.</summary>
    public ImmutableArray<LayerVersion> Layers { get; init; } = [];

    /// <summary>
    /// Whether <paramref name="key"/> is one AWS keeps for itself (<c>aws:</c> in any case): a user may not set or remove
    /// it, and it does not count against <see cref="MaxUserTags"/>.
    /// </summary>
    public static bool IsReservedTagKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>How many of <paramref name="keys"/> count against <see cref="MaxUserTags"/>.</summary>
    public static int UserTagCount(IEnumerable<string> keys) => keys.Count(key => !IsReservedTagKey(key));

    /// <summary>A function is identified by its name.</summary>
    public string Id => FunctionName;

    /// <summary>
    /// The ARN of the function <paramref name="functionName"/> in <paramref name="account"/>'s account and region:
    /// unqualified, or with its alias or version <paramref name="qualifier"/> (<c>…:function:NAME:live</c>).
    /// </summary>
    public static string ArnOf(AccountContext account, string functionName, string? qualifier = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var arn = $"arn:{account.Partition}:lambda:{account.Region}:{account.AccountId}:function:{functionName}";
        return qualifier is null ? arn : arn + ":" + qualifier;
    }

    /// <summary>
    /// The function a reference names, in any of Lambda's forms: a name (<c>my-function</c>), a name with a qualifier
    /// (<c>my-function:v1</c>), an ARN (<c>arn:aws:lambda:{region}:{account}:function:my-function[:v1]</c>) or a partial
    /// ARN (<c>{account}:function:my-function[:v1]</c>); <paramref name="qualifier"/> is its alias or version, null without one.
    /// </summary>
    public static string NameOf(string reference, out string? qualifier)
    {
        ArgumentNullException.ThrowIfNull(reference);
        const string marker = "function:";
        var at = reference.IndexOf(":" + marker, StringComparison.Ordinal);
        var name = at >= 0 ? reference[(at + 1 + marker.Length)..]
            : reference.StartsWith(marker, StringComparison.Ordinal) ? reference[marker.Length..]
            : reference;
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        qualifier = colon < 0 ? null : name[(colon + 1)..];
        return colon < 0 ? name : name[..colon];
    }
}
