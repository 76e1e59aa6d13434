using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Cloister.Tables.Protocol;

/// <summary>
/// The boundary's checks that a request body is text DynamoDB can read, made once for every operation before any of it
/// runs (so a refused request writes nothing): the bytes are UTF-8, the JSON is whole, and no string escapes half of a
/// surrogate pair. Past these, every string of the document converts to .NET text, so no reader below meets a string it
/// cannot read (System.Text.Json would throw InvalidOperationException, a 500, from any member's name or value).
/// </summary>
internal static class RequestText
{
    /// <summary>
    /// Refuses bytes that are not UTF-8 (stray continuation bytes, overlong forms, encoded surrogates, past U+10FFFF) as DynamoDB
    /// refuses a body its JSON parser cannot read. Vectorized and allocation-free: it runs on every request, GetItem's simple
    /// path too (whose reader compares key bytes as sent and would otherwise look up an invalid key rather than refuse it).
    /// </summary>
    public static void RequireUtf8(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            throw DynamoDbException.Unreadable();
        }
    }

    /// <summary>
    /// Whether <paramref name="json"/>, which failed to parse within the document's depth limit, is well-formed JSON when
    /// its depth is not limited, so that it failed for its depth alone. Only on that failure path: it reads the body again.
    /// </summary>
    public static bool IsWellFormedBeyondDepth(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Refuses a string escape of half a surrogate pair (<c>\ud800</c> alone, or a low half first), which names no character
    /// and has no UTF-8 form, with a ValidationException naming the escape as sent. <paramref name="json"/> parsed as a document.
    /// </summary>
    public static void RequireWholeSurrogates(ReadOnlySpan<byte> json)
    {
        if (FindUnpairedSurrogate(json) is var at and >= 0)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: A string contains {Encoding.ASCII.GetString(json.Slice(at, 6))}, an unpaired surrogate, which is not valid UTF-8");
        }
    }

    /// <summary>
    /// Whether well-formed JSON from inside a request (a key the client hands back base64-encoded, which the boundary's
    /// checks could not see) is UTF-8 with no string escaping half a surrogate pair.
    /// </summary>
    public static bool IsUnicode(ReadOnlySpan<byte> json) => Utf8.IsValid(json) && FindUnpairedSurrogate(json) < 0;

    /// <summary>
    /// Where the first escape of half a surrogate pair starts, or -1. <paramref name="json"/> is well-formed JSON, so each
    /// backslash in it begins an escape inside a string and a <c>\u</c> has four hex digits. Only backslashes are looked at:
    /// a body without one costs a single vectorized search.
    /// </summary>
    private static int FindUnpairedSurrogate(ReadOnlySpan<byte> json)
    {
        var at = 0;
        while (true)
        {
            var next = json[at..].IndexOf((byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (json[at + 1] != (byte)'u')
            {
                at += 2;
                continue;
            }

            var unit = CodeUnit(json, at);
            if (char.IsHighSurrogate(unit) && at + 12 <= json.Length && json[at + 6] == (byte)'\\' && json[at + 7] == (byte)'u' &&
                char.IsLowSurrogate(CodeUnit(json, at + 6)))
            {
                at += 12;
            }
            else if (char.IsSurrogate(unit))
            {
                return at;
            }
            else
            {
                at += 6;
            }
        }
    }

    /// <summary>The UTF-16 code unit a <c>\uXXXX</c> escape at <paramref name="at"/> stands for.</summary>
    private static char CodeUnit(ReadOnlySpan<byte> json, int at) =>
        Utf8Parser.TryParse(json.Slice(at + 2, 4), out ushort unit, out var consumed, 'X') && consumed == 4
            ? (char)unit
            : throw new InvalidOperationException("A parsed JSON document held a \\u escape without four hex digits.");
}
