using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cloister.Scenarios.Tests;

/// <summary>
/// Runs every command of <c>up</c>'s "Try next" block exactly as printed (the words after <c>./cloister</c>, with the
/// built apphost and the stack's state folder) in the printed order, and checks that each does what it is there for:
/// <c>dig</c> answers addresses, <c>curl</c> gets a 2xx status with the API's body, <c>path</c> finds a path hop by hop,
/// <c>logs</c> prints what the commands before it caused, <c>down</c> leaves nothing behind.
/// </summary>
internal sealed class TryNextRunner(Cloister cli)
{
    private readonly List<string> _asked = [];

    /// <summary>
    /// Runs the block of <paramref name="upOutput"/> and fails once, listing every command that did not work with its
    /// output. <paramref name="curlAnswer"/> is a part of the body the block's <c>curl</c> must get; null when the
    /// block must suggest no <c>curl</c>.
    /// </summary>
    public async Task AssertEveryLineWorksAsync(string upOutput, string? curlAnswer)
    {
        var lines = TryNextBlock.Commands(upOutput);
        var block = string.Join('\n', TryNextBlock.Lines(upOutput));
        Assert.True(lines.Count > 0, $"up printed no Try next commands:\n{upOutput}");
        Assert.True(
            lines.Any(l => l.ExecProgram == "curl") == curlAnswer is not null,
            $"the block {(curlAnswer is null ? "suggests a curl this sample cannot answer" : "suggests no curl")}:\n{block}");
        Assert.Equal("down", lines[^1].Verb);
        var prefix = (await cli.StatusAsync()).GetProperty("Prefix").GetString()!;

        var failures = new List<string>();
        foreach (var line in lines)
        {
            var result = await cli.RunAsync(TimeSpan.FromSeconds(90), [.. line.ExecProgram == "curl" ? WithStatusLine(line.Arguments) : line.Arguments]);
            var problem = result.ExitCode != 0
                ? $"exit code {result.ExitCode}"
                : await ProblemAsync(line, result, curlAnswer, prefix);
            if (problem is not null)
            {
                failures.Add($"{line.Printed}\n  {problem}\n  stdout: {Indent(result.Output)}\n  stderr: {Indent(result.Error)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Count} Try next command(s) failed:\n\n{string.Join("\n\n", failures)}\n\nThe block:\n{block}");
    }

    /// <summary>What is wrong with a command's output; null when it shows what the command is for.</summary>
    private async Task<string?> ProblemAsync(TryNextLine line, Cloister.Result result, string? curlAnswer, string prefix)
    {
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (line.Verb, line.ExecProgram)
        {
            case ("exec", "dig"):
                _asked.Add(line.Arguments[^1].TrimEnd('.'));
                return lines.Length > 0 && lines.All(IsIpv4) ? null : "dig answered no IPv4 address";
            case ("exec", "curl"):
                var end = result.Output.LastIndexOf('\n');
                var code = result.Output[(end + 1)..].Trim();
                return code.Length != 3 || code[0] != '2' ? $"curl got HTTP {code}, not 2xx"
                    : result.Output[..Math.Max(end, 0)].Contains(curlAnswer!, StringComparison.Ordinal) ? null
                    : $"curl's body lacks {curlAnswer}";
            case ("path", _):
                return result.Output.StartsWith("Path found: ", StringComparison.Ordinal) && lines.Any(IsHop)
                    ? null
                    : "path printed no \"Path found\" with its hops";
            case ("logs", _) when line.Arguments is [_, "dns", ..]:
                return lines.Any(l => _asked.Any(name => QueryName(l).StartsWith(name, StringComparison.OrdinalIgnoreCase)))
                    ? null
                    : $"no query log line for {string.Join(", ", _asked)} after the dig above";
            case ("logs", _):
                return lines.Length > 0 ? null : "no log line after the commands above";
            case ("invoke", _):
                return result.Error.Contains("StatusCode: 200", StringComparison.Ordinal) ? null : "invoke did not report StatusCode: 200";
            case ("down", _):
                var left = await Network.Sandbox.ListNamespacesAsync(prefix);
                var status = await cli.RunAsync("status");
                return left.Count == 0 && status.ExitCode == 3 && result.Output.StartsWith("Down in ", StringComparison.Ordinal)
                    ? null
                    : $"down left {left.Count} namespace(s) or a running stack (status exit {status.ExitCode})";
            default:
                return lines.Length > 0 ? null : "printed nothing";
        }
    }

    /// <summary>The printed curl command with <c>-w</c> added, so its output ends with a line holding the HTTP status.</summary>
    private static List<string> WithStatusLine(IReadOnlyList<string> arguments)
    {
        var words = arguments.ToList();
        words.InsertRange(words.IndexOf("--") + 2, ["-w", "\\n%{http_code}"]);
        return words;
    }

    private static bool IsIpv4(string text) => IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>A hop line of <c>cloister path</c>: <c>  1. AWS::EC2::Instance i-...: ...</c>.</summary>
    private static bool IsHop(string line) => line.Length > 3 && char.IsAsciiDigit(line[0]) && line.Contains(". ", StringComparison.Ordinal);

    private static string QueryName(string jsonLine)
    {
        try
        {
            using var json = JsonDocument.Parse(jsonLine);
            return json.RootElement.TryGetProperty("query_name", out var name) ? name.GetString() ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }

    private static string Indent(string text)
    {
        var trimmed = text.TrimEnd();
        var shown = trimmed.Length > 2000 ? trimmed[..2000] + " …" : trimmed;
        return new StringBuilder(shown).Replace("\n", "\n    ").ToString();
    }
}
