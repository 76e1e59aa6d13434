namespace Cloister.Functions.Ssm;

/// <summary>One version of a parameter as Parameter Store keeps it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type"><c>String</c>, <c>StringList</c> or <c>SecureString</c>.</param>
/// <param name="Value">The value as written (a SecureString's too: the sandbox encrypts nothing).</param>
/// <param name="Version">1 for the first, one more for each overwrite.</param>
/// <param name="Description">The description, if any.</param>
/// <param name="AllowedPattern">The regular expression values are checked against, if any.</param>
/// <param name="Tier"><c>Standard</c> or <c>Advanced</c>.</param>
/// <param name="DataType"><c>text</c> or <c>aws:ec2:image</c>.</param>
/// <param name="LastModified">When it was written, in Unix milliseconds.</param>
/// <param name="LastModifiedUser">The ARN of who wrote it.</param>
/// <param name="Ciphertext">What a SecureString's value reads as without decryption: random bytes, base64, fixed per version; null for other types.</param>
internal sealed record ParameterVersion(
    string Name,
    string Type,
    string Value,
    long Version,
    string? Description,
    string? AllowedPattern,
    string Tier,
    string DataType,
    long LastModified,
    string LastModifiedUser,
    string? Ciphertext)
{
    /// <summary>
    /// A SecureString's KMS key as PutParameter named it (<c>KeyId</c>: an id, ARN or alias), kept and described though
    /// the sandbox encrypts nothing; null for the account's default key (<see cref="ParameterFilter.DefaultKeyId"/>) and
    /// for other types.
    /// </summary>
    public string? KeyId { get; init; }

    /// <summary>The labels attached to this version (LabelParameterVersion), in the order they were attached; a label is on one version of a parameter at most.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The key DescribeParameters and GetParameterHistory name for a SecureString (null for other types).</summary>
    public string? DescribedKeyId => Type == "SecureString" ? KeyId ?? ParameterFilter.DefaultKeyId : null;
}
