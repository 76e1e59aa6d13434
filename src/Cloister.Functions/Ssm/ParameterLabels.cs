namespace Cloister.Functions.Ssm;

/// <summary>
/// Parameter Store's rules for labels (LabelParameterVersion): 1 to 100 letters (case-sensitive), digits and
/// <c>. - _</c>, not starting with a digit, <c>aws</c> or <c>ssm</c> (case-insensitive); at most 10 on a version. A label
/// breaking them is not attached but answered in <c>InvalidLabels</c>, as AWS does.
/// </summary>
internal static class ParameterLabels
{
    public const int MaxPerVersion = 10;

    public const int MaxLength = 100;

    public static bool IsValid(string label) =>
        label.Length is >= 1 and <= MaxLength
        && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase)
        && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase)
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
