using Cloister.Policy.Matching;

namespace Cloister.Policy.Evaluation;

/// <summary>An Action or NotAction entry: <c>service:Name</c>, matched case-insensitively with <c>*</c>/<c>?</c>.</summary>
/// <param name="Text">The pattern as written.</param>
internal sealed record ActionPattern(string Text)
{
    private readonly bool _wild = Glob.HasWildcard(Text);

    public bool Matches(string action) => _wild
        ? Glob.IsMatch(Text, action, ignoreCase: true)
        : string.Equals(Text, action, StringComparison.OrdinalIgnoreCase);
}
