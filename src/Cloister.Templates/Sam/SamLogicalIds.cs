using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Cloister.Templates.Evaluation;
using Cloister.Templates.Nodes;

namespace Cloister.Templates.Sam;

/// <summary>
/// The logical ids SAM derives from names a template writes (stage names), as its <c>LogicalIdGenerator</c>
/// makes them: the name itself when it is alphanumeric, otherwise the first 10 hex digits of the SHA-1 of its
/// UTF-8 bytes, so the ids are SAM's own, digit for digit.
/// </summary>
internal static class SamLogicalIds
{
    /// <summary><c>{api}{StageName}Stage</c>, or <c>{api}Stage{hash}</c> for a name that is not alphanumeric, or <c>{api}Stage</c> when the name is not a literal.</summary>
    public static string Stage(string apiId, Node? stageName)
    {
        var name = stageName is ScalarNode { IsNull: false } literal ? literal.Value : string.Empty;
        return LogicalNames.IsAlphanumeric(name) ? $"{apiId}{name}Stage" : Generate($"{apiId}Stage", name);
    }

    /// <summary><c>{prefix}Permission{suffix}</c>, or <c>{prefix}Permission{hash}</c> for a suffix that is not alphanumeric.</summary>
    public static string Permission(string prefix, string suffix) =>
        LogicalNames.IsAlphanumeric(suffix) ? $"{prefix}Permission{suffix}" : Generate($"{prefix}Permission", suffix);

    /// <summary>
    /// <c>{function}Version{hash}</c>: the first 10 characters of <paramref name="codeSha256"/> when the template gives
    /// <c>AutoPublishCodeSha256</c>, else the hash of <paramref name="data"/> written as SAM writes it (Python's
    /// <c>json.dumps(data, separators=(",", ":"), sort_keys=True)</c>); the prefix alone when the data is empty.
    /// </summary>
    public static string Version(string functionId, MapNode data, string? codeSha256)
    {
        var prefix = functionId + "Version";
        if (!string.IsNullOrEmpty(codeSha256))
        {
            return prefix + codeSha256[..Math.Min(10, codeSha256.Length)];
        }

        return data.Entries.IsEmpty ? prefix : Generate(prefix, SortedJson.Write(data));
    }

    /// <summary>SAM's <c>LogicalIdGenerator(prefix, data).gen()</c> for string data: the prefix alone when there is no data.</summary>
    public static string Generate(string prefix, string data) => data.Length == 0 ? prefix : prefix + Hash(data);

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SAM names resources with SHA-1; nothing is protected by it.")]
    private static string Hash(string data) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(data)))[..10];
}
