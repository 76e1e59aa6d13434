using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Cloister.Templates.Iam;

/// <summary>
/// Cloister's copy of the AWS managed policies templates attach most often: the documents AWS publishes (default
/// versions), one embedded JSON file per policy under its ARN path (<c>service-role/AWSLambdaBasicExecutionRole.json</c>).
/// <c>ReadOnlyAccess</c> keeps only the actions of the services Cloister runs; the others are whole. AWS keeps
/// thousands of managed policies and changes them; a role that attaches one not copied here gets nothing from it, with
/// a warning.
/// </summary>
internal static class AwsManagedPolicies
{
    private const string ResourcePrefix = "Cloister.Templates.Iam.AwsManagedPolicies/";
    private const string JsonSuffix = ".json";

    /// <summary>Each policy's document as compact JSON, keyed by its path in the ARN (what follows <c>policy/</c>).</summary>
    private static readonly FrozenDictionary<string, string> Documents = Load();

    /// <summary>The path of each policy by its name, the way SAM turns a policy name into an ARN.</summary>
    private static readonly FrozenDictionary<string, string> PathsByName =
        Documents.Keys.ToFrozenDictionary(path => path[(path.LastIndexOf('/') + 1)..], StringComparer.Ordinal);

    /// <summary>The path of every policy in the copy (<c>AdministratorAccess</c>, <c>service-role/AWSLambdaRole</c>...).</summary>
    public static IEnumerable<string> Paths => Documents.Keys;

    /// <summary>
    /// The document of the AWS managed policy at <paramref name="path"/>, with the ARNs it holds in
    /// <paramref name="partition"/> (AWS publishes each partition's copy with its own ARNs); null when Cloister has no copy.
    /// </summary>
    public static string? Find(string path, string partition) =>
        Documents.TryGetValue(path, out var document)
            ? partition == "aws" ? document : document.Replace("\"arn:aws:", $"\"arn:{partition}:", StringComparison.Ordinal)
            : null;

    /// <summary>
    /// Where AWS keeps the managed policy called <paramref name="name"/> (<c>service-role/</c> for Lambda's execution
    /// roles), as SAM resolves the policy names of a function's <c>Policies</c>; the name itself when it is not in the copy.
    /// </summary>
    public static string PathOf(string name) => PathsByName.GetValueOrDefault(name, name);

    private static FrozenDictionary<string, string> Load()
    {
        var assembly = typeof(AwsManagedPolicies).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(JsonSuffix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                n => n[ResourcePrefix.Length..^JsonSuffix.Length].Replace('\\', '/'),
                n => Compact(assembly, n),
                StringComparer.Ordinal);
    }

    /// <summary>The embedded document without the whitespace it is kept with, as the model holds every policy.</summary>
    private static string Compact(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var document = JsonDocument.Parse(stream);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
