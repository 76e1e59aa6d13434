using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Cloister.Tables.Protocol;
using Cloister.Tables.Storage;

namespace Cloister.Tables.Operations;

/// <summary>
/// DynamoDB's tagging restrictions, for CreateTable's <c>Tags</c>, TagResource and UntagResource: keys of 1–128 and values of
/// 0–256 Unicode characters of letters, white space, numbers and <c>+ - = . _ : /</c>; no <c>aws:</c> key; a key once per
/// request; at most 50 tags on a table. Errors as DynamoDB words them (every one a ValidationException).
/// </summary>
internal static class TableTags
{
    public const int MaxTags = 50;
    private const int MaxKeyLength = 128;
    private const int MaxValueLength = 256;

    public const string TooMany = "Number of Tags exceed the current limit for the provided ResourceArn";

    /// <summary>A request's list of tags, each checked, none named twice.</summary>
    public static ImmutableArray<TableTag> Read(JsonElement tags)
    {
        var result = ImmutableArray.CreateBuilder<TableTag>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in tags.EnumerateArray())
        {
            RequestReader.RequireObject(element);
            var key = CheckKey(RequestReader.GetString(element, "Key"));
            var value = RequestReader.GetString(element, "Value");
            if (value is null || !Allowed(value, 0, MaxValueLength))
            {
                throw DynamoDbException.Validation("The Tag Value provided is invalid, Value: " + (value ?? "null"));
            }

            if (!seen.Add(key))
            {
                throw DynamoDbException.Validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + key);
            }

            result.Add(new TableTag(key, value));
        }

        return result.ToImmutable();
    }

    /// <summary>UntagResource's TagKeys, each held to the rules a key is given under.</summary>
    public static ImmutableArray<string> ReadKeys(JsonElement keys) =>
        [.. keys.EnumerateArray().Select(element => CheckKey(AttributeValueReader.GetString(element)))];

    /// <summary>The table's tags with <paramref name="adding"/> put in (a key already there takes the new value in its place), held to the limit.</summary>
    public static ImmutableArray<TableTag> Merge(ImmutableArray<TableTag> existing, ImmutableArray<TableTag> adding)
    {
        var merged = existing.ToList();
        foreach (var tag in adding)
        {
            var position = merged.FindIndex(current => string.Equals(current.Key, tag.Key, StringComparison.Ordinal));
            if (position >= 0)
            {
                merged[position] = tag;
            }
            else
            {
                merged.Add(tag);
            }
        }

        return merged.Count > MaxTags ? throw DynamoDbException.Validation(TooMany) : [.. merged];
    }

    private static string CheckKey(string? key)
    {
        if (key is null || !Allowed(key, 1, MaxKeyLength))
        {
            throw DynamoDbException.Validation("The Tag Key provided is invalid, Key: " + (key ?? "null"));
        }

        // AWS reserves the prefix in any case ("aws:", "AWS:"...), as its tagging guides say.
        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw DynamoDbException.Validation("Tag Key cannot be prefixed with aws:, Key: " + key);
        }

        return key;
    }

    /// <summary>Whether a key or value has <paramref name="min"/> to <paramref name="max"/> Unicode characters, each one DynamoDB allows.</summary>
    private static bool Allowed(string text, int min, int max)
    {
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            count++;
            var allowed = Rune.IsLetter(rune) || Rune.IsWhiteSpace(rune) || Rune.IsNumber(rune) ||
                (rune.IsAscii && "+-=._:/".Contains((char)rune.Value, StringComparison.Ordinal));
            if (!allowed || count > max)
            {
                return false;
            }
        }

        return count >= min;
    }
}
