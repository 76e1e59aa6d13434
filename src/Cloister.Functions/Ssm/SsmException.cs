namespace Cloister.Functions.Ssm;

/// <summary>A call Parameter Store refuses: the error type (<c>__type</c>) and message the client is answered with, status 400.</summary>
internal sealed class SsmException(string type, string message) : Exception(message)
{
    /// <summary>Such as <c>ParameterNotFound</c>.</summary>
    public string Type { get; } = type;

    /// <summary>AWS answers a missing parameter of GetParameter and DeleteParameter with no message at all.</summary>
    public static SsmException NotFound() => new("ParameterNotFound", string.Empty);

    public static SsmException Validation(string message) => new("ValidationException", message);

    /// <summary>A version the parameter does not have (any more), as AWS words it.</summary>
    public static SsmException VersionNotFound(string name, long version) =>
        new("ParameterVersionNotFound", FormattableString.Invariant($"Systems Manager could not find version {version} of {name}. Verify the version and try again."));

    public static SsmException InvalidToken() => new("InvalidNextToken", "The specified token is not valid.");
}
