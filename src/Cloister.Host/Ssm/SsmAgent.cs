using Cloister.Functions.Ssm;
using Microsoft.Extensions.Logging;

namespace Cloister.Host.Ssm;

/// <summary>
/// One instance's amazon-ssm-agent, run by the host from inside the instance: it reads its role credentials from the
/// instance's metadata service, registers with Systems Manager (UpdateInstanceInformation) at once and then every
/// <see cref="SsmAgentTimings.PingInterval"/> (every <see cref="SsmAgentTimings.RetryInterval"/> while it cannot),
/// and while registered fetches its Run Command invocations every <see cref="SsmAgentTimings.PollInterval"/>, runs
/// them and replies with their outcome. Whatever goes wrong is logged (once per change of reason, as the agent's own
/// log would repeat it) and retried; the agent never stops the host.
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
    private Task _loop = Task.CompletedTask;
    private string? _lastProblem;
    private string? _lastChannelProblem;

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

    /// <summary>The instance the agent runs on.</summary>
    public string InstanceId => _instanceId;

    /// <summary>Whether its last UpdateInstanceInformation succeeded.</summary>
    public bool Registered { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Creates the control channel Session Manager reaches the instance through; without it Run Command still works
    /// (it goes through ssm), so a failure is only logged, as the agent's MessageGatewayService logs it.
    /// </summary>
    private async Task OpenControlChannelAsync(AgentCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateControlChannelAsync(credentials, _instanceId, cancellationToken).ConfigureAwait(false);
            _lastChannelProblem = null;
        }
        catch (SsmAgentException problem)
        {
            if (problem.Message != _lastChannelProblem)
            {
                _lastChannelProblem = problem.Message;
                SsmAgentLog.NoControlChannel(_logger, _instanceId, problem.Message);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextPing = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var credentials = await _metadata.CredentialsAsync(cancellationToken).ConfigureAwait(false);
                if (_time.GetUtcNow() >= nextPing)
                {
                    nextPing = _time.GetUtcNow() + _timings.RetryInterval;
                    await _client.UpdateInstanceInformationAsync(credentials, _instanceId, _ipAddress, _computerName, cancellationToken).ConfigureAwait(false);
                    nextPing = _time.GetUtcNow() + _timings.PingInterval;
                    if (!Registered)
                    {
                        Registered = true;
                        _lastProblem = null;
                        SsmAgentLog.Registered(_logger, _instanceId, _client.Endpoint.Host);
                    }

                    await OpenControlChannelAsync(credentials, cancellationToken).ConfigureAwait(false);
                }

                if (Registered)
                {
                    foreach (var command in await _client.GetMessagesAsync(credentials, _instanceId, cancellationToken).ConfigureAwait(false))
                    {
                        SsmAgentLog.Running(_logger, _instanceId, command.CommandId);
                        var result = await _runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
                        await _client.SendReplyAsync(credentials, _instanceId, command, result, cancellationToken).ConfigureAwait(false);
                        SsmAgentLog.Ran(_logger, _instanceId, command.CommandId, result.Status, result.ResponseCode);
                    }
                }
            }
            catch (SsmAgentException problem)
            {
                Registered = false;
                if (problem.Message != _lastProblem)
                {
                    _lastProblem = problem.Message;
                    SsmAgentLog.CannotReach(_logger, _instanceId, problem.Message);
                }
            }
            catch (Exception unexpected) when (unexpected is IOException or InvalidOperationException or UnauthorizedAccessException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                if (unexpected.Message != _lastProblem)
                {
                    _lastProblem = unexpected.Message;
                    SsmAgentLog.CannotReach(_logger, _instanceId, unexpected.Message);
                }
            }

            await Task.Delay(Registered ? _timings.PollInterval : _timings.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
