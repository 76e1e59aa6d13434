using System.Collections.Immutable;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cloister.Host.Fabric.CloudInit;

/// <summary>
/// The cloud-config modules Cloister applies, read from one or more <c>#cloud-config</c> documents as cloud-init reads
/// them (YAML 1.1 as PyYAML loads it; a later part's top-level keys replace an earlier part's). <c>bootcmd</c> and
/// <c>runcmd</c> are shell scripts already: each string entry a line as written, each list entry its words quoted, as
/// cloud-init's <c>shellify</c> writes them.
/// </summary>
internal sealed record CloudConfig
{
    /// <summary>The top-level keys Cloister reads; every other is named in <see cref="NotApplied"/>.</summary>
    private static readonly ImmutableHashSet<string> Read =
    [
        "bootcmd", "write_files", "hostname", "fqdn", "preserve_hostname", "prefer_fqdn_over_hostname", "packages",
        "package_update", "package_upgrade", "package_reboot_if_required", "runcmd",
    ];

    /// <summary>The <c>bootcmd</c> script; null without the module.</summary>
    public string? BootCmd { get; init; }

    /// <summary>The <c>write_files</c> entries, in order.</summary>
    public ImmutableArray<WriteFile> WriteFiles { get; init; } = [];

    /// <summary>The host name <c>set_hostname</c> would set; null when it sets none.</summary>
    public string? Hostname { get; init; }

    /// <summary>The <c>packages</c> named, each as written (<c>name</c> or <c>name=version</c>).</summary>
    public ImmutableArray<string> Packages { get; init; } = [];

    /// <summary>Whether <c>package_update</c> (or <c>package_upgrade</c>, or packages to install) asks for the package index.</summary>
    public bool PackageUpdate { get; init; }

    /// <summary>Whether <c>package_upgrade</c> asks for every package to be upgraded.</summary>
    public bool PackageUpgrade { get; init; }

    /// <summary>The <c>runcmd</c> script; null without the module.</summary>
    public string? RunCmd { get; init; }

    /// <summary>The top-level keys Cloister does not apply, in the order written.</summary>
    public ImmutableArray<string> NotApplied { get; init; } = [];

    /// <summary>What could not be read (bad YAML, a value of the wrong kind): each a line for the console log.</summary>
    public ImmutableArray<string> Problems { get; init; } = [];

    /// <summary>Whether any package step was asked for.</summary>
    public bool WantsPackages => PackageUpdate || PackageUpgrade || !Packages.IsEmpty;

    /// <summary>Reads <paramref name="documents"/> (each a <c>#cloud-config</c> part) into one config.</summary>
    public static CloudConfig Parse(IEnumerable<string> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var merged = new List<(string Key, YamlNode Value)>();
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var document in documents)
        {
            foreach (var (key, value) in TopLevel(document, problems))
            {
                merged.RemoveAll(m => m.Key == key);
                merged.Add((key, value));
            }
        }

        var keys = merged.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var hostname = Text(keys.GetValueOrDefault("hostname"));
        var fqdn = Text(keys.GetValueOrDefault("fqdn"));
        var packages = ReadPackages(keys.GetValueOrDefault("packages"), problems);
        var upgrade = Bool(keys.GetValueOrDefault("package_upgrade"));
        return new CloudConfig
        {
            BootCmd = Shellify("bootcmd", keys.GetValueOrDefault("bootcmd"), problems),
            WriteFiles = ReadWriteFiles(keys.GetValueOrDefault("write_files"), problems),
            Hostname = Bool(keys.GetValueOrDefault("preserve_hostname")) ? null : HostnameOf(hostname, fqdn, Bool(keys.GetValueOrDefault("prefer_fqdn_over_hostname"))),
            Packages = packages,
            PackageUpgrade = upgrade,
            PackageUpdate = Bool(keys.GetValueOrDefault("package_update")) || upgrade || !packages.IsEmpty,
            RunCmd = Shellify("runcmd", keys.GetValueOrDefault("runcmd"), problems),
            NotApplied = [.. merged.Select(m => m.Key).Where(k => !Read.Contains(k))],
            Problems = problems.ToImmutable(),
        };
    }

    /// <summary>POSIX shell quoting as Python's <c>shlex.quote</c> does it.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0)
        {
            return "''";
        }

        return word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '%' or '+' or '=' or ':' or ',' or '.' or '/' or '-')
            ? word
            : "'" + word.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
    }

    private static List<(string Key, YamlNode Value)> TopLevel(string document, ImmutableArray<string>.Builder problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(document));
        }
        catch (YamlException e)
        {
            // cloud-init logs "Failed loading yaml blob" and goes on with no config from this part.
            problems.Add($"the cloud-config is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}; none of it is applied");
            return [];
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // The scanner's own failures on some malformed input, and a key given twice.
            problems.Add("the cloud-config is not valid YAML; none of it is applied");
            return [];
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add("the cloud-config is not a YAML mapping; none of it is applied");
            return [];
        }

        return [.. root.Children.Where(c => c.Key is YamlScalarNode { Value: not null }).Select(c => (((YamlScalarNode)c.Key).Value!, c.Value))];
    }

    private static bool IsNull(YamlNode? node) =>
        node is null or YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string? Text(YamlNode? node) => IsNull(node) ? null : (node as YamlScalarNode)?.Value;

    // YAML 1.1's booleans, which PyYAML reads.
    private static bool Bool(YamlNode? node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } value }
        && value.ToLowerInvariant() is "true" or "yes" or "on" or "y";

    private static string? HostnameOf(string? hostname, string? fqdn, bool preferFqdn)
    {
        if (preferFqdn && fqdn is not null)
        {
            return fqdn;
        }

        return hostname ?? fqdn?.Split('.')[0];
    }

    private static string? Shellify(string module, YamlNode? node, ImmutableArray<string>.Builder problems)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } whole })
        {
            return "#!/bin/sh\n" + whole + "\n";
        }

        if (node is not YamlSequenceNode entries)
        {
            problems.Add($"{module} is not a list of commands; it is not run");
            return null;
        }

        var script = new StringBuilder("#!/bin/sh\n");
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case YamlScalarNode { Value: { } line }:
                    script.Append(line).Append('\n');
                    break;
                case YamlSequenceNode words when words.All(w => w is YamlScalarNode):
                    script.AppendJoin(' ', words.Select(w => Quote(((YamlScalarNode)w).Value ?? string.Empty))).Append('\n');
                    break;
                default:
                    // cloud-init's shellify: "Unable to shellify type ... which is not a list or string".
                    problems.Add($"{module} entry at line {entry.Start.Line} is neither a string nor a list of strings; {module} is not run");
                    return null;
            }
        }

        return script.ToString();
    }

    private static ImmutableArray<string> ReadPackages(YamlNode? node, ImmutableArray<string>.Builder problems)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode entries)
        {
            problems.Add("packages is not a list");
            return [];
        }

        return [.. entries.Select(e => e switch
        {
            YamlScalarNode s => s.Value ?? string.Empty,
            YamlSequenceNode pair => string.Join('=', pair.OfType<YamlScalarNode>().Select(p => p.Value)),
            _ => e.ToString(),
        })];
    }

    private static ImmutableArray<WriteFile> ReadWriteFiles(YamlNode? node, ImmutableArray<string>.Builder problems)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode entries)
        {
            problems.Add("write_files is not a list; no file is written");
            return [];
        }

        var files = ImmutableArray.CreateBuilder<WriteFile>();
        foreach (var entry in entries)
        {
            if (entry is not YamlMappingNode map)
            {
                problems.Add($"write_files entry at line {entry.Start.Line} is not a mapping; it is skipped");
                continue;
            }

            YamlNode? Get(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
            if (Text(Get("path")) is not { Length: > 0 } path)
            {
                problems.Add($"write_files entry at line {entry.Start.Line} has no path; it is skipped");
                continue;
            }

            if (Get("source") is not null)
            {
                problems.Add($"write_files {path}: source is not fetched (the sandbox reaches no URL outside it); its content is written instead");
            }

            if (Content(Text(Get("content")) ?? string.Empty, Text(Get("encoding")), path, problems) is not { } content
                || Mode(Get("permissions"), path, problems) is not { } mode)
            {
                continue;
            }

            files.Add(new WriteFile(path, content, mode, Text(Get("owner")), Bool(Get("append")), Bool(Get("defer"))));
        }

        return files.ToImmutable();
    }

    private static byte[]? Content(string content, string? encoding, string path, ImmutableArray<string>.Builder problems)
    {
        var (base64, gzip) = encoding?.ToLowerInvariant() switch
        {
            null or "text/plain" => (false, false),
            "b64" or "base64" => (true, false),
            "gz" or "gzip" => (false, true),
            "gz+b64" or "gzip+base64" or "gz+base64" or "gzip+b64" => (true, true),
            _ => (false, false),
        };
        if (encoding is not null && !base64 && !gzip && !encoding.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"write_files {path}: unknown encoding '{encoding}', assuming text/plain (as cloud-init does)");
        }

        // A gzip content not in base64 reaches YAML as binary (!!binary), which the representation model gives as base64 text.
        var bytes = base64 || gzip ? FromBase64(content) : Encoding.UTF8.GetBytes(content);
        if (bytes is null)
        {
            problems.Add($"write_files {path}: its content is not valid base64; the file is not written");
            return null;
        }

        if (!gzip)
        {
            return bytes;
        }

        try
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            problems.Add($"write_files {path}: its content is not gzip; the file is not written");
            return null;
        }
    }

    /// <summary>Base64 as cloud-init decodes it, white space between the characters ignored; null when not base64.</summary>
    public static byte[]? FromBase64(string text)
    {
        var compact = new string([.. text.Where(c => !char.IsWhiteSpace(c))]);
        var buffer = new byte[compact.Length];
        return Convert.TryFromBase64String(compact, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>
    /// <c>permissions</c> as cloud-init's <c>decode_perms</c> reads it: a YAML integer as it is (PyYAML reads an unquoted
    /// <c>0644</c> as octal, YAML 1.1), a string as octal; 0644 when not given.
    /// </summary>
    private static UnixFileMode? Mode(YamlNode? node, string path, ImmutableArray<string>.Builder problems)
    {
        const UnixFileMode Default = (UnixFileMode)0b110_100_100;
        if (IsNull(node))
        {
            return Default;
        }

        var text = (node as YamlScalarNode)?.Value ?? string.Empty;
        var plain = node is YamlScalarNode { Style: ScalarStyle.Plain };
        var digits = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        int mode;
        var octal = !plain || digits.Length != text.Length || (text.Length > 1 && text[0] == '0');
        try
        {
            mode = octal ? Convert.ToInt32(digits, 8) : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            // cloud-init logs the bad value and writes the file with the default.
            problems.Add($"write_files {path}: permissions '{text}' is not a mode; 0644 is used");
            return Default;
        }

        return (UnixFileMode)(mode & 0xFFF);
    }
}
