using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cloister.Host;
using Cloister.Host.Code;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Network.Runtime;
using Cloister.Templates;
using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary>
/// <c>cloister up [TEMPLATE...] [--param K=V]... [--region R] [--detach]</c>: validates the templates, makes the
/// functions' code runnable, starts the stack host inside the sandbox and shows its progress; then the Outputs and
/// what to try next. In the foreground Ctrl-C tears everything down; <c>--detach</c> leaves it running. The stacks are
/// deployed in the account <c>CLOISTER_ACCOUNT_ID</c> names (12 digits; unset or empty: 000000000000); any other value
/// is refused before anything is created.
/// </summary>
internal static class UpCommand
{
    /// <summary>How long Ctrl-C may take to tear down (System.CommandLine ends the process after its own timeout).</summary>
    public static readonly TimeSpan TeardownTimeout = TimeSpan.FromSeconds(90);

    private const int InterruptedExitCode = 130;

    private const string InterruptedMessage = "cloister up: interrupted; nothing was left running.";

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>What a foreground up prints when the stacks were taken down from elsewhere.</summary>
    internal const string StoppedByDownMessage = "Stopped by cloister down: the stacks were taken down; nothing is left running.";

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var templates = new Argument<string[]>("template") { Description = "Template files, one stack each, named after the file or written NAME=PATH (default: samples/seed-architecture).", Arity = ArgumentArity.ZeroOrMore };
        var parameters = new Option<string[]>("--param") { Description = "A parameter value, KEY=VALUE (to every template declaring KEY) or STACK.KEY=VALUE; repeat for several.", AllowMultipleArgumentsPerToken = false };
        var region = new Option<string?>("--region") { Description = "The region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1; eu-central-1 for the default stack)." };
        var detach = new Option<bool>("--detach") { Description = "Leave the stacks running and return once they are up." };
        var ignore = new Option<bool>("--ignore-unsupported") { Description = "Skip resource types Cloister does not know, with a warning, instead of failing." };
        var verb = new Command("up", "Deploy templates, one stack each, into one sandbox and run them; without --detach stay until Ctrl-C, then take everything down.") { templates, parameters, region, detach, ignore };
        verb.SetAction((parse, cancellationToken) => RunAsync(
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(templates) ?? [],
            parse.GetValue(parameters) ?? [],
            parse.GetValue(region),
            parse.GetValue(detach),
            parse.GetValue(ignore),
            cancellationToken));
        return verb;
    }

    private static async Task<int> RunAsync(
        TextWriter output, TextWriter error, string[] templates, string[] parameters, string? regionOption, bool detach, bool ignoreUnsupported, CancellationToken cancellationToken)
    {
        if (regionOption is not null && string.IsNullOrWhiteSpace(regionOption))
        {
            // Left to the templates, an empty region made ARNs and service names such as "dynamodb..amazonaws.com".
            await error.WriteLineAsync($"cloister up: --region '{regionOption}' is no region; give one such as eu-central-1, or leave --region out (then AWS_REGION, AWS_DEFAULT_REGION, else {AccountContext.DefaultRegion}). Nothing was created.").ConfigureAwait(false);
            return 1;
        }

        // As on AWS, where the account is the one deployed into: AWS::AccountId, ARNs and the table store follow it.
        if (!AccountContext.TryAccountIdFromEnvironment(null, out var accountId, out var refusal))
        {
            await error.WriteLineAsync($"cloister up: {refusal} Nothing was created.").ConfigureAwait(false);
            return 1;
        }

        var console = CliConsole.For(output);
        var state = StatePaths.FromEnvironment();
        var paths = templates.Length > 0 ? [.. templates] : StackTemplates.DefaultTemplates();
        var region = regionOption
            ?? (templates.Length == 0 ? StackTemplates.DefaultStackRegion : null)
            ?? AccountContext.RegionFromEnvironment();

        // Held until the host is ready: a second up at the same time would tear down the first one's sandbox as leftovers.
        var bringingUp = UpLock.TryTake(state);
        if (bringingUp is null)
        {
            await error.WriteLineAsync($"cloister up: another cloister up is already bringing stacks up in {state.Root}; wait for it, or stop it with cloister down.").ConfigureAwait(false);
            return 1;
        }

        using (bringingUp)
        {
            var account = new AccountContext(accountId ?? AccountContext.DefaultAccountId, region);
            return await BringUpAsync(console, error, state, paths, parameters, account, detach, ignoreUnsupported, bringingUp, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> BringUpAsync(
        IAnsiConsole console, TextWriter error, StatePaths state, IReadOnlyList<string> paths, string[] parameters, AccountContext account, bool detach, bool ignoreUnsupported, UpLock bringingUp, CancellationToken cancellationToken)
    {
        // Any answer counts: a host still coming up (its up killed) owns the sandbox as much as a ready one.
        if (await StackChannel.SendAsync(state, new ControlRequest("status"), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) is { } running)
        {
            var what = running.Status is { } up ? $"stacks are already running in {state.Root} (host pid {up.HostProcessId})" : $"stacks are already coming up in {state.Root}";
            await error.WriteLineAsync($"cloister up: {what}; run cloister down first.").ConfigureAwait(false);
            return 1;
        }

        await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);
        var (request, loaded) = StackTemplates.Build(paths, parameters, account.Region, account.AccountId, ignoreUnsupported, out var problems);
        foreach (var warning in loaded.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning[/] {warning.ToString()}");
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"cloister up: {problems.Count} problem(s); nothing was created.").ConfigureAwait(false);
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var (prepared, notPrepared) = await PrepareCodeAsync(console, error, "up", loaded, cancellationToken).ConfigureAwait(false);
        if (prepared is null)
        {
            return notPrepared;
        }

        request = request with { PreparedCode = prepared };

        Directory.CreateDirectory(state.Runtime);

        // The logs verbs print by default only what this run writes (the files keep every run's).
        LogTail.BeginRun(state, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(HostRunner.RequestPath(state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest), cancellationToken).ConfigureAwait(false);
        var start = HostLauncher.StartInfo(state, HostLauncher.CloisterProgram(AppContext.BaseDirectory));
        using var host = Process.Start(start) ?? throw new InvalidOperationException("Could not start the stack host.");
        host.StandardInput.Close();

        var progress = ProgressAsync(console, host);
        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => interrupted.TrySetResult()))
        {
            if (await Task.WhenAny(progress, interrupted.Task).ConfigureAwait(false) != progress)
            {
                return await InterruptAsync(console, error, state, host, progress).ConfigureAwait(false);
            }
        }

        var (ready, failed) = await progress.ConfigureAwait(false);
        if (!ready)
        {
            await host.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"cloister up: the stacks did not come up{(failed ? string.Empty : $" (the host exited with {host.ExitCode})")}; see {Path.Combine(state.Logs, "host.log")}. Nothing was left running.").ConfigureAwait(false);
            await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);
            return 1;
        }

        // Not cancelled by Ctrl-C: the stacks are up, and the wait below takes the interrupt and tears them down (a
        // cancelled request here ended up with an exception and left them running). The request has its own timeout.
        var (status, statusProblem, _) = await StackChannel.ReadyStatusAsync(state, CancellationToken.None).ConfigureAwait(false);
        if (status is not null)
        {
            OutputsCommand.Render(console, status);
            Hints(console, state, status, detach);
        }
        else
        {
            await error.WriteLineAsync($"cloister up: the stacks are ready but their status did not come ({statusProblem}); cloister status shows their outputs.").ConfigureAwait(false);
        }

        console.MarkupLineInterpolated($"[green]Up in {clock.Elapsed.TotalSeconds:0.0} s.[/]");
        if (detach)
        {
            return 0;
        }

        // The ready host answers status now, which refuses any other up.
        bringingUp.Dispose();

        // Foreground: Ctrl-C or SIGTERM (the token, System.CommandLine's handler) tears everything down; the host may also
        // end on its own, told to by cloister down from elsewhere, or dying.
        try
        {
            await host.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[grey]Tearing down…[/]");
            return await DownCommand.StopAsync(state, console, error, CancellationToken.None).ConfigureAwait(false);
        }

        return await HostEndedAsync(console, error, state, host.ExitCode).ConfigureAwait(false);
    }

    /// <summary>
    /// The foreground up's host ended without this up asking: exit 0 with a line saying so when it stopped as told (by
    /// <c>cloister down</c>, which waits for it and removes the rest, or a SIGTERM sent to it); otherwise it died, and
    /// up removes what it left, as its Ctrl-C would, and exits 1 pointing to its log.
    /// </summary>
    internal static async Task<int> HostEndedAsync(IAnsiConsole console, TextWriter error, StatePaths state, int hostExitCode)
    {
        if (hostExitCode == 0)
        {
            console.MarkupLine(StoppedByDownMessage);
            return 0;
        }

        await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);
        await error.WriteLineAsync($"cloister up: the stack host ended with exit code {hostExitCode} (it crashed or was killed); see {Path.Combine(state.Logs, "host.log")}. What it left was removed.").ConfigureAwait(false);
        return 1;
    }

    /// <summary>
    /// Makes the functions' code runnable (published, installed) as the host will run it, outside the sandbox; null with
    /// the exit code when it cannot (the problem written after <c>cloister VERB:</c>) or Ctrl-C stopped it.
    /// </summary>
    internal static async Task<(ImmutableDictionary<string, string>? Prepared, int ExitCode)> PrepareCodeAsync(
        IAnsiConsole console, TextWriter error, string verb, TemplateLoadResult loaded, CancellationToken cancellationToken)
    {
        try
        {
            var prepared = await new CodePreparer(CodePreparer.DefaultCacheRoot)
                .PrepareAsync(loaded.Code, new Progress<string>(m => console.MarkupLineInterpolated($"[grey]…[/] code: {m}")), cancellationToken)
                .ConfigureAwait(false);
            return (prepared, 0);
        }
        catch (CodePreparationException exception)
        {
            await error.WriteLineAsync($"cloister {verb}: {exception.Message}").ConfigureAwait(false);
            return (null, 1);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C while dotnet publish or npm runs: the preparer has killed them with every process they started,
            // and nothing of the sandbox was changed yet.
            await error.WriteLineAsync(verb == "up" ? InterruptedMessage : $"cloister {verb}: interrupted; nothing was changed.").ConfigureAwait(false);
            return (null, InterruptedExitCode);
        }
    }

    /// <summary>
    /// Renders the host's progress events until it is ready (true) or its progress ends; whether any phase failed.
    /// </summary>
    private static async Task<(bool Ready, bool Failed)> ProgressAsync(IAnsiConsole console, Process host)
    {
        var failed = false;
        while (await host.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var deployEvent = JsonSerializer.Deserialize(line, HostJson.Default.DeployEvent);
            if (deployEvent is null)
            {
                continue;
            }

            Render(console, deployEvent);
            failed |= deployEvent.State == "failed";
            if (deployEvent.State == "ready")
            {
                return (true, failed);
            }
        }

        return (false, failed);
    }

    /// <summary>
    /// Ctrl-C while the stacks come up: asks the host to stop (it cancels the bring-up and removes what it made), shows
    /// its progress to the end and waits for it, then removes whatever is left. Exit 130, as for any interrupted command.
    /// </summary>
    private static async Task<int> InterruptAsync(IAnsiConsole console, TextWriter error, StatePaths state, Process host, Task<(bool Ready, bool Failed)> progress)
    {
        console.MarkupLine("[grey]Interrupted: tearing down what was started…[/]");
        var clock = Stopwatch.StartNew();

        // The control socket appears once the host runs; until then (and in case a request is lost) keep asking.
        while (!host.HasExited && clock.Elapsed < StopTimeout)
        {
            if (await StackChannel.SendAsync(state, new ControlRequest("down"), TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false) is { Ok: true })
            {
                break;
            }

            await Task.WhenAny(host.WaitForExitAsync(), Task.Delay(100)).ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(StopTimeout - clock.Elapsed);
        try
        {
            await host.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync($"cloister up: the stack host did not stop within {StopTimeout.TotalSeconds} s; removing what it left.").ConfigureAwait(false);
            host.Kill();
        }

        await StackChannel.RemoveLeftoversAsync(state).ConfigureAwait(false);
        await error.WriteLineAsync(InterruptedMessage).ConfigureAwait(false);
        return InterruptedExitCode;
    }

    /// <summary>
    /// One progress line. A phase done with an empty list (no function, no load balancer) says <c>none</c>, as the other
    /// phase lines say what they made, rather than nothing before its time.
    /// </summary>
    internal static void Render(IAnsiConsole console, DeployEvent deployEvent)
    {
        var elapsed = $"{deployEvent.ElapsedMilliseconds} ms";
        switch (deployEvent.State)
        {
            case "started":
                console.MarkupLineInterpolated($"[grey]…[/] {deployEvent.Phase,-12} {deployEvent.Message}");
                break;
            case "done":
                var made = string.IsNullOrWhiteSpace(deployEvent.Message) ? "none" : deployEvent.Message;
                console.MarkupLineInterpolated($"[green]✓[/] {deployEvent.Phase,-12} {made} [grey]({elapsed})[/]");
                break;
            case "ready":
                console.MarkupLineInterpolated($"[green]✓ ready[/]        {deployEvent.Message}");
                break;
            case "warning":
                console.MarkupLineInterpolated($"[yellow]![/] {deployEvent.Phase,-12} {deployEvent.Message}");
                break;
            default:
                console.MarkupLineInterpolated($"[red]✗[/] {deployEvent.Phase,-12} {deployEvent.Message}");
                break;
        }
    }

    private static void Hints(IAnsiConsole console, StatePaths state, Host.Status.StackStatus status, bool detached)
    {
        var sandbox = RuntimeState.ReadDescription(state.Runtime);
        var model = RuntimeState.ReadModel(state.Runtime);
        var hints = TryNextHints.For(status, model, (host, target, port) => sandbox is null || model is null ? null : PathCommand.Probe(sandbox, model, host.Id, target, port), detached);
        WriteHints(console, hints);
    }

    /// <summary>
    /// The "Try next" block: each command as it is (the console folds text at the terminal's width, and a command
    /// broken across lines, as an 80-column terminal showed them, no longer works when copied), its note in grey.
    /// </summary>
    internal static void WriteHints(IAnsiConsole console, IEnumerable<TryNextHint> hints)
    {
        console.WriteLine();
        console.MarkupLine("[bold]Try next[/]");
        foreach (var hint in hints)
        {
            console.Profile.Out.Writer.Write("  " + hint.Command);
            if (hint.Note is null)
            {
                console.WriteLine();
            }
            else
            {
                var gap = hint.Command.Length == 0 ? string.Empty : "   ";
                console.MarkupLineInterpolated($"{gap}[grey]({hint.Note})[/]");
            }
        }

        console.WriteLine();
    }
}
