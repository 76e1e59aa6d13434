using System.Collections.Concurrent;
using System.Text.Json;
using Cloister.Functions.Ssm;
using Microsoft.Extensions.Logging;

namespace Cloister.Host.Ssm;

/// <summary>
/// One instance's amazon-ssm-agent, run by the host from inside the instance: it reads its role credentials from the
/// instance's metadata service, registers with Systems Manager (UpdateInstanceInformation) at once and then every
/// <see cref="SsmAgentTimings.PingInterval"/> (every <see cref="SsmAgentTimings.RetryInterval"/> while it cannot),
/// creates its control channel after each ping, and while registered fetches its Run Command invocations every
/// <see cref="SsmAgentTimings.PollInterval"/> and runs each in the background (pings go on while a long script runs),
/// replying with its outcome, or kills it when CancelCommand's cancellation arrives. Whatever goes wrong is logged once per change of reason (as the agent's own log would
/// repeat it) and retried; the agent never stops the host.
/// </summary>
internal sealed class SsmAgent : IAsyncDisposable
{
    private readonly string _instanceId;
    private readonly string _ipAddress;
    private readonly string _computerName;
    private readonly HttpClient _http;
    private readonly InstanceMetadataClient _metadata;
    private readonly SsmAgentClient _client;
    private readonly ShellScriptRunner _runner;
    private readonly SsmAgentTimings _timings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _cancels = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;
    private string? _healthProblem;
    private string? _channelProblem;
    private string? _messagesProblem;

    // Whether the last CreateControlChannel succeeded: current agents then take their commands over it (ssmmessages),
    // else from the Message Delivery Service (ec2messages).
    private volatile bool _channelOpen;

    public SsmAgent(string instanceId, string ipAddress, string computerName, InstanceConnections connections, ShellScriptRunner runner, Cloister.Model.AccountContext account, SsmAgentTimings timings, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(account);
        _instanceId = instanceId;
        _ipAddress = ipAddress;
        _computerName = computerName;
        _time = time ?? TimeProvider.System;
        _http = connections.Client();
        _metadata = new InstanceMetadataClient(_http, _time);
        _client = new SsmAgentClient(_http, account.Region, account.UrlSuffix, _time);
        _runner = runner;
        _timings = timings;
        _logger = logger;
    }

    /// <summary>Whether its last UpdateInstanceInformation succeeded.</summary>
    public bool Registered { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>
    /// Stops the agent; running scripts are killed with everything they started. It waits for the polling loop and for
    /// every command it started, and closes the agent's connections even when one of them failed; that failure is
    /// rethrown then.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // The loop starts the commands: once it has ended, none starts, and _running holds every one still running.
        await Task.WhenAny(_loop).ConfigureAwait(false);
        try
        {
            // Waits for them all, then throws the first failure, if any, other than their being stopped.
            await Task.WhenAll(_running.Values.Append(_loop)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        finally
        {
            _http.Dispose();
            _stop.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextPing = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            AgentCredentials? credentials = null;
            try
            {
                credentials = await _metadata.CredentialsAsync(cancellationToken).ConfigureAwait(false);
                if (_time.GetUtcNow() >= nextPing)
                {
                    await _client.UpdateInstanceInformationAsync(credentials, _instanceId, _ipAddress, _computerName, cancellationToken).ConfigureAwait(false);
                    nextPing = _time.GetUtcNow() + _timings.PingInterval;
                    if (!Registered)
                    {
                        Registered = true;
                        _healthProblem = null;
                        SsmAgentLog.Registered(_logger, _instanceId, _client.Endpoint.Host);
                    }

                    await CreateControlChannelAsync(credentials, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception problem) when (problem is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever goes wrong (a refusal, an unreachable service, an unexpected answer) is logged and retried:
                // the agent, like amazon-ssm-agent, never gives up on its instance.
                Registered = false;
                nextPing = _time.GetUtcNow();
                Report(ref _healthProblem, problem.Message, SsmAgentLog.CannotReach);
            }

            if (Registered && credentials is not null)
            {
                await FetchCommandsAsync(credentials, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(Registered ? _timings.PollInterval : _timings.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the control channel Session Manager reaches the instance through, and Run Command's messages while it is
    /// open; without it the agent takes its commands from ec2messages, so a failure is only logged, as the agent's
    /// MessageGatewayService logs it.
    /// </summary>
    private async Task CreateControlChannelAsync(AgentCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateControlChannelAsync(credentials, _instanceId, cancellationToken).ConfigureAwait(false);
            _channelProblem = null;
            _channelOpen = true;
        }
        catch (SsmAgentException problem)
        {
            _channelOpen = false;
            Report(ref _channelProblem, problem.Message, SsmAgentLog.NoControlChannel);
        }
    }

    /// <summary>Starts every invocation Systems Manager has for the instance, each in the background.</summary>
    private async Task FetchCommandsAsync(AgentCredentials credentials, CancellationToken cancellationToken)
    {
        List<AgentCommand> commands;
        try
        {
            commands = await _client.GetMessagesAsync(credentials, _instanceId, Channel, cancellationToken).ConfigureAwait(false);
            _messagesProblem = null;
        }
        catch (Exception problem) when (problem is SsmAgentException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Report(ref _messagesProblem, problem.Message, SsmAgentLog.NoMessages);
            return;
        }

        foreach (var command in commands)
        {
            if (command.Cancel)
            {
                // CancelCommand: the running script is killed and the invocation replied Cancelled; one that already
                // ended has replied with its outcome.
                try
                {
                    if (_cancels.TryGetValue(command.CommandId, out var running))
                    {
                        await running.CancelAsync().ConfigureAwait(false);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // It ended meanwhile.
                }

                continue;
            }

            var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _cancels[command.CommandId] = cancel;
            _running[command.CommandId] = RunCommandAsync(credentials, command, cancel, cancellationToken);
        }
    }

    private async Task RunCommandAsync(AgentCredentials credentials, AgentCommand command, CancellationTokenSource cancel, CancellationToken cancellationToken)
    {
        // Off the polling loop at once: the script may run for up to its executionTimeout.
        await Task.Yield();
        try
        {
            SsmAgentLog.Running(_logger, _instanceId, command.CommandId);
            AgentResult result;
            try
            {
                result = await _runner.RunAsync(command, cancel.Token).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                result = new AgentResult("Failed", 1, string.Empty, "failed to run commands: " + failure.Message);
            }

            await _client.SendReplyAsync(credentials, _instanceId, command, result, Channel, cancellationToken).ConfigureAwait(false);
            SsmAgentLog.Ran(_logger, _instanceId, command.CommandId, result.Status, result.ResponseCode);
        }
        catch (SsmAgentException problem)
        {
            Report(ref _messagesProblem, problem.Message, SsmAgentLog.NoMessages);
        }
        finally
        {
            _cancels.TryRemove(command.CommandId, out _);
            cancel.Dispose();
            _running.TryRemove(command.CommandId, out _);
        }
    }

    private MessageChannel Channel => _channelOpen ? MessageChannel.ControlChannel : MessageChannel.Delivery;

    /// <summary>Logs <paramref name="problem"/> unless it is the one last logged for its kind.</summary>
    private void Report(ref string? last, string problem, Action<ILogger, string, string> log)
    {
        if (problem != last)
        {
            last = problem;
            log(_logger, _instanceId, problem);
        }
    }
}
