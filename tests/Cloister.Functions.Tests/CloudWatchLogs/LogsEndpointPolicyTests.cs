using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Functions.Tests.CloudWatchLogs;

/// <summary>
/// A <c>logs</c> interface endpoint over CloudWatch Logs: the AWS CLI v2 calls the server on a loopback socket standing
/// for the endpoint's network interface (<see cref="InterfaceEndpointListener"/>). The caller's identity policy allows
/// every Logs action only through that endpoint (<c>aws:SourceVpce</c>), the endpoint's policy only FilterLogEvents on
/// the functions' groups.
/// </summary>
public sealed class LogsEndpointPolicyTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string Vpce = "vpce-0aaaabbbbccccdddd";
    private const string Key = "ASIAENDPOINT00000001";

    private readonly TestHome _home = new("cloister-logs-endpoint-");
    private readonly LoopbackInterfaceEndpoint _endpoint = new(Vpce);
    private LogsServer? _server;

    public async Task InitializeAsync()
    {
        var endpointPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"logs:FilterLogEvents","Resource":"arn:aws:logs:{{Region}}:{{Account}}:log-group:/aws/lambda/*"}
            ]}
            """;
        _server = await LogsServer.StartAsync(new LogsOptions
        {
            EndpointListeners = [_endpoint.Listener(_home.Certificate)],
            Certificate = _home.Certificate,
            Account = new AccountContext(Account, Region),
            Groups =
            [
                new LogGroupSource("/aws/lambda/orders", 0, null, []),
                new LogGroupSource("/app/audit", 0, null, []),
            ],
            Access = _endpoint.Access<LogsAccess>(key => key == Key ? TestCallers.RoleSessionThrough("Reader", "\"logs:*\"", Vpce) : null, endpointPolicy),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpoint.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task FilterLogEvents_EndpointPolicyAndSourceVpceConditionAllow_Answered()
    {
        var aws = await LogsAsync("filter-log-events", "--log-group-name", "/aws/lambda/orders");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains("\"events\": []", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilterLogEvents_GroupOutsideTheEndpointPolicy_AccessDeniedBecauseNoVpcEndpointPolicyAllows()
    {
        var aws = await LogsAsync("filter-log-events", "--log-group-name", "/app/audit");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the FilterLogEvents operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:{Region}:{Account}:log-group:/app/audit:log-stream: because no VPC endpoint policy allows the logs:FilterLogEvents action",
            aws.Error,
            StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> LogsAsync(params string[] arguments) =>
        _home.Cli(Region).RunAsync(Key, TestCallers.Secret, ["logs", .. arguments, "--endpoint-url", _endpoint.Url]);
}
