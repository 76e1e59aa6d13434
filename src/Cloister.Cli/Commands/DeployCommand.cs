using System.CommandLine;
using System.Text.Json;
using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Templates;
using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister deploy [[STACK=]TEMPLATE...] [--param ...]</c>: updates the running stacks in place, as
/// <c>aws cloudformation deploy</c> updates a stack. Every running stack is loaded again from its template file with
/// the parameters it runs with; a TEMPLATE names a running stack (by file name or <c>STACK=</c>) and the file it is
/// deployed from now, a <c>--param</c> overrides a value. Arguments and templates are checked as <c>up</c> checks them
/// and the code is prepared as <c>up</c> prepares it; the host applies what changes live and refuses, changing nothing,
/// what needs the sandbox rebuilt. The stacks stay in the account they run in: <c>CLOISTER_ACCOUNT_ID</c> unset or empty
/// keeps it, naming another account (or no account id) is refused with nothing sent.
/// </summary>
internal static class DeployCommand
{
    /// <summary>How long the host may take to apply a deployment (redeployed functions with provisioned concurrency start their environments).</summary>
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var templates = new Argument<string[]>("template") { Description = "Templates of running stacks, named after the file or written STACK=PATH (default: every running stack's template, read again).", Arity = ArgumentArity.ZeroOrMore };
        var parameters = new Option<string[]>("--param") { Description = "A parameter value, KEY=VALUE (to every template declaring KEY) or STACK.KEY=VALUE; the others keep the values they run with.", AllowMultipleArgumentsPerToken = false };
        var disableRollback = new Option<bool>("--disable-rollback") { Description = "When the update fails, leave what was applied (the stacks UPDATE_FAILED) instead of rolling it back." };
        var verb = new Command("deploy", "Update the running stacks from their templates in place, as aws cloudformation deploy updates a stack; what needs the sandbox rebuilt is refused and nothing changes, an update that fails is rolled back.") { templates, parameters, disableRollback };
        verb.SetAction((parse, cancellationToken) => RunAsync(
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(templates) ?? [],
            parse.GetValue(parameters) ?? [],
            parse.GetValue(disableRollback),
            cancellationToken));
        return verb;
    }

    private static async Task<int> RunAsync(TextWriter output, TextWriter error, string[] templates, string[] parameters, bool disableRollback, CancellationToken cancellationToken)
    {
        if (!AccountContext.TryAccountIdFromEnvironment(null, out var accountId, out var refusal))
        {
            await error.WriteLineAsync($"cloister deploy: {refusal} Nothing was changed.").ConfigureAwait(false);
            return 1;
        }

        var console = CliConsole.For(output);
        var state = StatePaths.FromEnvironment();
        var (status, notReady, exitCode) = await StackChannel.ReadyStatusAsync(state, cancellationToken).ConfigureAwait(false);
        var requestPath = HostRunner.RequestPath(state);
        if (status is null || !File.Exists(requestPath))
        {
            await error.WriteLineAsync("cloister deploy: " + (status is null ? notReady : StackChannel.NotRunning(state))).ConfigureAwait(false);
            return status is null ? exitCode : CliApplication.NotRunningExitCode;
        }

        var running = JsonSerializer.Deserialize(await File.ReadAllTextAsync(requestPath, cancellationToken).ConfigureAwait(false), HostJson.Default.DeployRequest)
            ?? throw new InvalidDataException($"{requestPath} is empty.");
        if (accountId is not null && accountId != running.AccountId)
        {
            // On AWS another account is another deployment, never an update of this one: say so rather than move the
            // stacks' ARNs and tables to an account they were not created in.
            await error.WriteLineAsync($"cloister deploy: {AccountContext.AccountVariable} is {accountId}, but the running stacks are account {running.AccountId}; " +
                $"a deploy updates them in their account: unset {AccountContext.AccountVariable} or set it to {running.AccountId}, or ./cloister down and ./cloister up to deploy into {accountId}. Nothing was changed.").ConfigureAwait(false);
            return 1;
        }

        var (paths, values, problems) = Arguments(running, templates, parameters);
        if (problems.Count == 0)
        {
            var (request, loaded) = StackTemplates.Build(paths, values, running.Region, running.AccountId, running.IgnoreUnsupported, out problems);
            foreach (var warning in loaded.Warnings)
            {
                console.MarkupLineInterpolated($"[yellow]warning[/] {warning.ToString()}");
            }

            if (problems.Count == 0)
            {
                var (prepared, failed) = await UpCommand.PrepareCodeAsync(console, error, "deploy", loaded, cancellationToken).ConfigureAwait(false);
                return prepared is null
                    ? failed
                    : await DeployAsync(console, error, state, new ControlRequest("deploy", Deploy: request with { PreparedCode = prepared }, DisableRollback: disableRollback), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"cloister deploy: {problems.Count} problem(s); nothing was changed.").ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> DeployAsync(IAnsiConsole console, TextWriter error, StatePaths state, ControlRequest request, CancellationToken cancellationToken)
    {
        console.MarkupLine("[grey]…[/] Waiting for the stack host to apply the change set");
        var response = await StackChannel.SendAsync(state, request, DeployTimeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            await error.WriteLineAsync("cloister deploy: " + StackChannel.NotRunning(state)).ConfigureAwait(false);
            return CliApplication.NotRunningExitCode;
        }

        // The state column as wide as the widest state printed (UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS is 44), so the
        // resource column lines up as in the CloudFormation console's event list.
        var events = response.Events ?? [];
        var width = Math.Max(20, events.Select(e => e.State.Length).DefaultIfEmpty(0).Max());
        foreach (var deployEvent in events)
        {
            Render(console, deployEvent, width);
        }

        if (!response.Ok)
        {
            await error.WriteLineAsync("cloister deploy: " + StackChannel.Problem(state, response)).ConfigureAwait(false);
            return StackChannel.ExitCodeOf(response);
        }

        if (response.Events?.Any(e => e.State.EndsWith("_COMPLETE", StringComparison.Ordinal)) == true
            && await StackChannel.StatusAsync(state, cancellationToken).ConfigureAwait(false) is { } status)
        {
            OutputsCommand.Render(console, status);
        }

        return 0;
    }

    /// <summary>
    /// Every running stack as <c>STACK=PATH</c> (the given file for a stack a TEMPLATE names) and the parameters it runs
    /// with as <c>STACK.KEY=VALUE</c> unless a <c>--param</c> gives the key again; a TEMPLATE naming no running stack is a problem.
    /// </summary>
    private static (List<string> Paths, List<string> Parameters, List<string> Problems) Arguments(DeployRequest running, string[] templates, string[] parameters)
    {
        var problems = new List<string>();
        var given = templates.Select(t => StackTemplates.Named(t, problems)).OfType<TemplateFile>().ToList();
        var stacks = running.Templates.Select(t => (Name: new TemplateFile(t.Path) { StackName = t.StackName }.ResolvedStackName, Template: t)).ToList();
        foreach (var template in given.Where(g => !stacks.Any(s => s.Name == g.ResolvedStackName)))
        {
            problems.Add($"{template.Path}: no running stack is named {template.ResolvedStackName} (running: {string.Join(", ", stacks.Select(s => s.Name))}); " +
                "cloister deploy updates running stacks and does not add any: name the stack as STACK=PATH, or ./cloister down, then ./cloister up with every template.");
        }

        var overridden = parameters.Select(p => p.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var paths = stacks.Select(s => $"{s.Name}={given.LastOrDefault(g => g.ResolvedStackName == s.Name)?.Path ?? s.Template.Path}").ToList();
        var values = stacks
            .SelectMany(s => s.Template.Parameters
                .Where(p => !overridden.Contains(p.Key) && !overridden.Contains($"{s.Name}.{p.Key}"))
                .Select(p => $"{s.Name}.{p.Key}={p.Value}"))
            .Concat(parameters)
            .ToList();
        return (paths, values, problems);
    }

    private static void Render(IAnsiConsole console, DeployEvent deployEvent, int width)
    {
        switch (deployEvent.State)
        {
            case "unchanged":
                console.MarkupLineInterpolated($"{deployEvent.Message}");
                break;
            case "refused" or "failed":
                console.MarkupLineInterpolated($"[red]✗[/] {deployEvent.Message}");
                break;
            case "warning":
                console.MarkupLineInterpolated($"[yellow]![/] {deployEvent.Phase,-12} {deployEvent.Message}");
                break;
            default:
                var colour = deployEvent.State.EndsWith("_FAILED", StringComparison.Ordinal) ? "red"
                    : deployEvent.State.Contains("ROLLBACK", StringComparison.Ordinal) || deployEvent.State.EndsWith("_SKIPPED", StringComparison.Ordinal) ? "yellow"
                    : deployEvent.State.EndsWith("_COMPLETE", StringComparison.Ordinal) ? "green" : "grey";
                console.MarkupLineInterpolated($"[{colour}]{deployEvent.State.PadRight(width)}[/] {deployEvent.Phase,-16} {deployEvent.Message}");
                break;
        }
    }
}
