namespace Cloister.Scenarios.Tests;

/// <summary>One command of <c>up</c>'s "Try next" block: the text as printed and the arguments after <c>./cloister</c>.</summary>
/// <param name="Printed">The command as <c>up</c> printed it, such as <c>./cloister exec --from ClientInstance -- dig +short api.example.com</c>.</param>
/// <param name="Arguments">The words after <c>./cloister</c>, split as a POSIX shell splits them (quotes removed).</param>
internal sealed record TryNextLine(string Printed, IReadOnlyList<string> Arguments)
{
    /// <summary>The verb (<c>exec</c>, <c>path</c>, <c>logs</c>, ...).</summary>
    public string Verb => Arguments.Count == 0 ? string.Empty : Arguments[0];

    /// <summary>For <c>exec --from HOST -- CMD...</c>, CMD's program (<c>dig</c>, <c>curl</c>); otherwise null.</summary>
    public string? ExecProgram
    {
        get
        {
            var separator = Verb == "exec" ? Arguments.ToList().IndexOf("--") : -1;
            return separator >= 0 && separator + 1 < Arguments.Count ? Arguments[separator + 1] : null;
        }
    }
}
