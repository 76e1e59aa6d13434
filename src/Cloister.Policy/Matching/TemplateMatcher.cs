using System.Runtime.CompilerServices;

namespace Cloister.Policy.Matching;

/// <summary>Compares a request's text with a policy text that may hold variables, allocating nothing.</summary>
internal static class TemplateMatcher
{
    public static bool IsMatch(TemplateText pattern, TextMode mode, ReadOnlySpan<char> text, RequestContext context)
    {
        if (!pattern.HasVariables)
        {
            return IsMatch(pattern.Raw, default, mode, text);
        }

        return IsMatchResolved(pattern, mode, text, context);
    }

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<byte> literal, TextMode mode, ReadOnlySpan<char> text) => mode switch
    {
        TextMode.Equals => pattern.SequenceEqual(text),
        TextMode.EqualsIgnoreCase => pattern.Equals(text, StringComparison.OrdinalIgnoreCase),
        TextMode.Like => Glob.IsMatch(pattern, literal, text, ignoreCase: false),
        TextMode.Resource => ResourceMatcher.IsMatch(pattern, literal, text),
        _ => ArnMatcher.IsMatch(pattern, literal, text),
    };

    // Kept out of line so the common case (no variables) does not pay for the stack buffers.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsMatchResolved(TemplateText pattern, TextMode mode, ReadOnlySpan<char> text, RequestContext context)
    {
        // Measuring first keeps the stack buffers (which the runtime zeroes) as small as the text.
        if (!pattern.TryMeasure(context, out var needed))
        {
            return false;
        }

        Span<char> chars = stackalloc char[needed];
        Span<byte> flags = stackalloc byte[needed];
        if (!pattern.TryResolve(context, chars, flags, out var length))
        {
            return false;
        }

        return IsMatch(chars[..length], flags[..length], mode, text);
    }
}
