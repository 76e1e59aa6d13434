using System.Runtime.InteropServices;
using System.Text.Json;
using Cloister.Host.Control;
using Cloister.Model;
using Microsoft.Extensions.Logging;

namespace Cloister.Host;

/// <summary>
/// The stack host process (<c>cloister __host</c>, started by <c>cloister up</c> inside its own empty network
/// namespace): brings the stacks up, reports progress as JSON lines on standard output until ready, then answers the
/// CLI on the control socket until <c>down</c>, SIGTERM or SIGINT, and tears everything down.
/// </summary>
public static class HostRunner
{
    /// <summary>The deployment request file, under the state's runtime folder.</summary>
    public static string RequestPath(StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Path.Combine(state.Runtime, "deploy.json");
    }

    /// <summary>The stack host's process id file, under the state's runtime folder.</summary>
    public static string PidPath(StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Path.Combine(state.Root, "host.pid");
    }

    /// <summary>Runs the host until it is told to stop; returns the process exit code.</summary>
    public static async Task<int> RunAsync(StatePaths state, TextWriter progress, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger("Cloister.Host");
        var request = JsonSerializer.Deserialize(await File.ReadAllTextAsync(RequestPath(state)).ConfigureAwait(false), HostJson.Default.DeployRequest)
            ?? throw new InvalidDataException("Empty deployment request.");
        var pidPath = PidPath(state);
        await File.WriteAllTextAsync(pidPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deploying = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
            deploying.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using var reporter = new ProgressReporter(progress);

        // A failure goes to host.log as well as to the progress stream: the CLI that reads the stream may be gone.
        void Fail(string phase, string problem)
        {
            Log.Failed(logger, phase, problem);
            reporter.Report(new DeployEvent(phase, "failed", problem, 0));
        }

        StackHost? host = null;
        await using var control = ControlServer.Start(state.ControlSocket, async (command, cancellationToken) =>
        {
            switch (command.Command)
            {
                case "status" or "invoke" or "session" or "deploy" when host is null:
                    return new ControlResponse(false, ControlResponse.ComingUp);
                case "status":
                    return new ControlResponse(true, Status: host.Status());
                case "invoke":
                    var reply = await host.InvokeAsync(command.FunctionName ?? string.Empty, command.Payload ?? "{}", command.InvocationType, cancellationToken).ConfigureAwait(false);
                    return new ControlResponse(true, Invocation: reply);
                case "session":
                    return host.SessionRefusal(command.InstanceId ?? string.Empty) is { } refusal
                        ? new ControlResponse(false, refusal)
                        : new ControlResponse(true);
                case "deploy" when command.Deploy is null:
                    return new ControlResponse(false, "deploy needs the templates to deploy.");
                case "deploy":
                    // down and the stop signals cancel a running deploy as they cancel the bring-up; the host's stop then
                    // waits for it to end (StackHost.DisposeAsync) instead of tearing down beside it.
                    using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deploying.Token))
                    {
                        return await host.UpdateAsync(command.Deploy, command.DisableRollback, linked.Token).ConfigureAwait(false);
                    }

                case "down":
                    await deploying.CancelAsync().ConfigureAwait(false);
                    stop.TrySetResult();
                    return new ControlResponse(true);
                default:
                    return new ControlResponse(false, $"Unknown or not yet possible command '{command.Command}'.");
            }
        });

        try
        {
            try
            {
                // A stop during bring-up cancels it through the token; the host then is never assigned.
                host = await StackHost.StartAsync(request, state, reporter.Report, loggers, deploying.Token).ConfigureAwait(false);
                host.ReportReady();
                reporter.Detach();
            }
            catch (StackDeployException exception)
            {
                foreach (var problem in exception.Problems)
                {
                    Fail(exception.Phase, problem);
                }

                return 1;
            }
            catch (OperationCanceledException)
            {
                Fail("up", "cancelled");
                return 1;
            }
#pragma warning disable CA1031 // Whatever broke the bring-up is reported to the CLI; the host must still exit cleanly.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Fail("up", exception.ToString());
                return 1;
            }

            await stop.Task.ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            return 0;
        }
        finally
        {
            File.Delete(pidPath);
        }
    }

    /// <summary>Writes progress events as JSON lines until the stacks are ready, then stops writing (the CLI may be gone).</summary>
    private sealed class ProgressReporter(TextWriter output) : IAsyncDisposable
    {
        private readonly Lock _lock = new();
        private bool _detached;

        public void Report(DeployEvent deployEvent)
        {
            lock (_lock)
            {
                if (_detached)
                {
                    return;
                }

                try
                {
                    output.WriteLine(JsonSerializer.Serialize(deployEvent, HostJson.Default.DeployEvent));
                    output.Flush();
                }
                catch (IOException)
                {
                    _detached = true;
                }
            }
        }

        public void Detach()
        {
            lock (_lock)
            {
                _detached = true;
                try
                {
                    output.Dispose();
                }
                catch (IOException)
                {
                    // The reader is gone already.
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Detach();
            return ValueTask.CompletedTask;
        }
    }
}
