using System.Buffers;
using System.Text;

namespace Cloister.Functions.RuntimeApi;

/// <summary>
/// Header values the Runtime API hands a runtime that come from the caller (the client context and the Cognito
/// identity), and the error type a runtime names. Lambda's Runtime API (written in Go) sends them as their UTF-8 bytes with line breaks turned into spaces,
/// as Go's HTTP server writes any header; Kestrel is told to do the same instead of refusing what is not ASCII.
/// </summary>
internal static class RuntimeApiHeaders
{
    public const string ClientContext = "Lambda-Runtime-Client-Context";

    public const string CognitoIdentity = "Lambda-Runtime-Cognito-Identity";

    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // Every control character but the tab: no HTTP field value may hold them.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f");

    /// <summary>The header a runtime names its error's type with (on <c>/error</c>, or as a trailer of a streamed response).</summary>
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";

    /// <summary>The trailer of a streamed response that failed mid-stream: the error, base64.</summary>
    public const string FunctionErrorBody = "Lambda-Runtime-Function-Error-Body";

    /// <summary>The header of a response the runtime streams: <c>streaming</c>.</summary>
    public const string FunctionResponseMode = "Lambda-Runtime-Function-Response-Mode";

    /// <summary>
    /// The error type Lambda reports (<c>INIT_REPORT</c>, <c>REPORT</c>) for a runtime's
    /// <c>Lambda-Runtime-Function-Error-Type</c>, as its runtime manager reads it: kept when it is <c>Runtime.</c> or
    /// <c>Function.</c> and a word of ASCII letters starting with a capital (<c>Runtime.ImportModuleError</c>); else
    /// <c>Function.Unknown</c> under <c>Function.</c>, and <c>Runtime.Unknown</c> for anything else, none included
    /// (an exception's class name such as <c>InvalidOperationException</c>).
    /// </summary>
    public static string ErrorType(string? header)
    {
        if (IsLambdaErrorType(header, "Runtime.") || IsLambdaErrorType(header, "Function."))
        {
            return header!;
        }

        return header is not null && header.StartsWith("Function.", StringComparison.Ordinal) ? "Function.Unknown" : "Runtime.Unknown";
    }

    private static bool IsLambdaErrorType(string? header, string prefix)
    {
        if (header is null || !header.StartsWith(prefix, StringComparison.Ordinal) || header.Length < prefix.Length + 2)
        {
            return false;
        }

        var word = header.AsSpan(prefix.Length);
        return char.IsAsciiLetterUpper(word[0]) && !word.ContainsAnyExcept(AsciiLetters);
    }

    /// <summary>Kestrel's <c>ResponseHeaderEncodingSelector</c>: UTF-8 for the caller's headers, ASCII (null) for the rest.</summary>
    public static Encoding? EncodingFor(string name) =>
        name.Equals(ClientContext, StringComparison.OrdinalIgnoreCase) || name.Equals(CognitoIdentity, StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8
            : null;

    /// <summary>The value with each control character (JSON's line breaks between tokens) replaced by a space.</summary>
    public static string Value(string value)
    {
        var at = value.AsSpan().IndexOfAny(Controls);
        if (at < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, at), static (span, state) =>
        {
            state.value.AsSpan().CopyTo(span);
            var rest = span[state.at..];
            for (var i = rest.IndexOfAny(Controls); i >= 0; i = rest.IndexOfAny(Controls))
            {
                rest[i] = ' ';
                rest = rest[(i + 1)..];
            }
        });
    }
}
