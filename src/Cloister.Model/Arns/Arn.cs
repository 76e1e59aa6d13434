using System.Diagnostics.CodeAnalysis;

namespace Cloister.Model.Arns;

/// <summary>
/// An Amazon Resource Name: <c>arn:partition:service:region:account:resource</c>. The resource part
/// is kept literally; it may hold <c>/</c>, <c>:</c>, <c>*</c> and <c>?</c>.
/// </summary>
/// <param name="Partition">The partition, such as <c>aws</c> or <c>aws-cn</c>.</param>
/// <param name="Service">The service namespace, such as <c>execute-api</c>.</param>
/// <param name="Region">The region, empty for global services.</param>
/// <param name="Account">The account id, empty where the service omits it.</param>
/// <param name="Resource">Everything after the fifth colon.</param>
public sealed record Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    /// <summary>The partitions AWS has.</summary>
    public static readonly IReadOnlySet<string> Partitions = new HashSet<string>(StringComparer.Ordinal)
    {
        "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc",
    };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> when it is not an ARN.</summary>
    public static Arn Parse(string text)
    {
        if (!TryParse(text, out var arn, out var error))
        {
            throw new FormatException(error);
        }

        return arn;
    }

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Arn? arn) => TryParse(text, out arn, out _);

    /// <summary>Parses <paramref name="text"/> without throwing, saying what is wrong when it fails.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Arn? arn, out string error)
    {
        arn = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "An ARN must not be empty.";
            return false;
        }

        Span<Range> parts = stackalloc Range[6];
        var span = text.AsSpan();
        if (span.Split(parts, ':') < 6)
        {
            error = $"'{text}' is not an ARN: it needs six parts separated by ':'.";
            return false;
        }

        if (!span[parts[0]].SequenceEqual("arn"))
        {
            error = $"'{text}' is not an ARN: it must start with 'arn:'.";
            return false;
        }

        var partition = text[parts[1]];
        if (!Partitions.Contains(partition))
        {
            error = $"'{text}' names an unknown partition '{partition}'.";
            return false;
        }

        var service = text[parts[2]];
        if (service.Length == 0)
        {
            error = $"'{text}' has no service.";
            return false;
        }

        var resource = text[parts[5]];
        if (resource.Length == 0)
        {
            error = $"'{text}' has no resource.";
            return false;
        }

        arn = new Arn(partition, service, text[parts[3]], text[parts[4]], resource);
        error = string.Empty;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
}
