using System.CommandLine;
using System.CommandLine.Parsing;

namespace Cloister.Cli.Commands;

/// <summary>
/// The typing mistakes System.CommandLine lets through or words badly. A mistyped verb (<c>cloister invok</c>,
/// <c>cloister logs acess</c>) got "Required command was not provided." on standard error, the whole help on standard
/// output and exit 1. A mistyped option of a verb that takes arguments was taken as one: <c>up --detatch</c> said
/// "/…/--detatch: no such template file.", <c>logs access --follw</c> "No access logs of --follw", exit 1 as if the
/// logs were missing; <c>invoke f -payload {}</c> printed the error amid the help. Each is now one line naming what was
/// typed and what the verb takes, and exit 2.
/// </summary>
internal static class ArgumentMistakes
{
    /// <summary>One line per mistake in <paramref name="parse"/>; empty when there is none of these kinds.</summary>
    public static List<string> Of(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var words = WordsOf(parse.CommandResult);
        if (command.Subcommands.Count > 0 && parse.UnmatchedTokens.Count > 0)
        {
            var typed = parse.UnmatchedTokens[0];
            var verbs = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return typed.StartsWith('-')
                ? [$"{words}: unknown option '{typed}'; {words} --help describes the verbs ({verbs}) and options."]
                : [$"{words}: '{typed}' is not a verb; the verbs are {verbs} ({words} --help describes them)."];
        }

        // Past "--" everything is the command's own (exec, session): curl's options are not cloister's.
        var options = parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash).ToList();
        var named = string.Join(", ", command.Options.Where(o => !o.Hidden && o.Name != "--help").Select(o => o.Name));
        var takenAsArguments = parse.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .Where(t => options.Any(o => ReferenceEquals(o, t)))
            .Select(t => t.Value);
        return [.. takenAsArguments.Concat(parse.UnmatchedTokens)
            .Where(t => t.Length > 1 && t.StartsWith('-'))
            .Select(t => named.Length == 0
                ? $"{words}: unknown option '{t}'; {words} takes no options ({words} --help)."
                : $"{words}: unknown option '{t}'; its options are {named} ({words} --help describes them).")];
    }

    /// <summary>The verb as typed, <c>cloister logs access</c>, whatever the executable is called.</summary>
    private static string WordsOf(CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as CommandResult)
        {
            names.Add(current.Parent is null ? "cloister" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
