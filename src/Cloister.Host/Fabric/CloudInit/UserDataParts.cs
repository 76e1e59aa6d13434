using System.Collections.Immutable;
using System.Text;

namespace Cloister.Host.Fabric.CloudInit;

/// <summary>
/// Splits user data into parts as cloud-init does: a MIME multi-part message into its parts (nested multi-parts
/// included, <c>Content-Transfer-Encoding: base64</c> undone), any other text into one part whose type its first line
/// gives (<c>#!</c>, <c>#cloud-config</c>, <c>#cloud-boothook</c>, ...). A part of type <c>text/plain</c> or
/// <c>text/x-not-multipart</c> is typed by its first line too, as cloud-init's handlers are picked.
/// </summary>
internal static class UserDataParts
{
    // Bounds a message nested in itself; cloud-init's Python email parser has no depth of its own worth following.
    private const int MaxDepth = 8;

    private static readonly (string Marker, string Type)[] Starts =
    [
        ("#cloud-config-archive", "text/cloud-config-archive"),
        ("#cloud-config", UserDataPart.CloudConfig),
        ("#cloud-boothook", "text/cloud-boothook"),
        ("#include-once", "text/x-include-once-url"),
        ("#include", "text/x-include-url"),
        ("#part-handler", "text/part-handler"),
        ("#upstart-job", "text/upstart-job"),
        ("#!", UserDataPart.ShellScript),
    ];

    /// <summary>The parts of <paramref name="userData"/> (decoded from base64), in order.</summary>
    public static ImmutableArray<UserDataPart> Of(string userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        var parts = ImmutableArray.CreateBuilder<UserDataPart>();
        Add(parts, userData.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal), 0);
        return parts.ToImmutable();
    }

    /// <summary>The type cloud-init gives text by its first characters; <c>text/x-not-multipart</c> when none fits.</summary>
    public static string TypeByStart(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (marker, type) in Starts)
        {
            if (text.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                return type;
            }
        }

        return "text/x-not-multipart";
    }

    private static void Add(ImmutableArray<UserDataPart>.Builder parts, string text, int depth)
    {
        if (!LooksLikeMime(text))
        {
            parts.Add(new UserDataPart(TypeByStart(text), text));
            return;
        }

        AddMessage(parts, text, depth);
    }

    // A message: headers, a blank line, a body. Inside a multi-part each part is one, its headers possibly none.
    private static void AddMessage(ImmutableArray<UserDataPart>.Builder parts, string message, int depth)
    {
        var (headers, body) = Headers(message);
        var contentType = headers.GetValueOrDefault("content-type", "text/plain");
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (Parameter(contentType, "boundary") is not { Length: > 0 } boundary || depth >= MaxDepth)
            {
                parts.Add(new UserDataPart(type, body));
                return;
            }

            foreach (var part in Split(body, boundary))
            {
                AddMessage(parts, part, depth + 1);
            }

            return;
        }

        if (headers.GetValueOrDefault("content-transfer-encoding")?.Trim().Equals("base64", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = FromBase64(body);
        }

        parts.Add(new UserDataPart(type is "text/plain" or "text/x-not-multipart" ? TypeByStart(body) : type, body));
    }

    private static bool LooksLikeMime(string text) =>
        text.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("MIME-Version:", StringComparison.OrdinalIgnoreCase);

    private static (Dictionary<string, string> Headers, string Body) Headers(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var end = text.StartsWith('\n') ? 0 : text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? string.Empty : text[(end + (end == 0 ? 1 : 2))..];
        string? last = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, body);
    }

    private static string? Parameter(string headerValue, string name)
    {
        foreach (var piece in headerValue.Split(';').Skip(1))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && piece[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return piece[(equals + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    /// <summary>The bodies between <c>--boundary</c> lines, up to the closing <c>--boundary--</c>; the preamble is dropped.</summary>
    private static List<string> Split(string body, string boundary)
    {
        var parts = new List<string>();
        StringBuilder? current = null;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed == "--" + boundary + "--")
            {
                break;
            }

            if (trimmed == "--" + boundary)
            {
                if (current is not null)
                {
                    parts.Add(WithoutLastNewline(current));
                }

                current = new StringBuilder();
                continue;
            }

            current?.Append(line).Append('\n');
        }

        if (current is not null)
        {
            parts.Add(WithoutLastNewline(current));
        }

        return parts;
    }

    // The line break before a boundary belongs to the boundary (RFC 2046 5.1.1).
    private static string WithoutLastNewline(StringBuilder part) =>
        part.Length > 0 && part[^1] == '\n' ? part.ToString(0, part.Length - 1) : part.ToString();

    private static string FromBase64(string body) => CloudConfig.FromBase64(body) is { } bytes ? Encoding.UTF8.GetString(bytes) : body;
}
