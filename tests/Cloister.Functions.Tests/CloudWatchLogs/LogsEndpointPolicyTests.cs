using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Functions.CloudWatchLogs;
using Cloister.Functions.Tests.Sts;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;

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
    private const string Vpc = "vpc-0123456789abcdef0";
    private const string Key = "ASIAENDPOINT00000001";

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-logs-endpoint-").FullName;
    private readonly Socket _endpointSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly X509Certificate2 _certificate = StsServerTests.SelfSigned();
    private LogsServer? _server;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_home, "ca.pem"), _certificate.ExportCertificatePem());
        _endpointSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpointSocket.Listen();
        var endpointPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"logs:FilterLogEvents","Resource":"arn:aws:logs:{{Region}}:{{Account}}:log-group:/aws/lambda/*"}
            ]}
            """;
        _server = await LogsServer.StartAsync(new LogsOptions
        {
            EndpointListeners = [new InterfaceEndpointListener(Vpce, Vpc, _endpointSocket, _certificate)],
            Certificate = _certificate,
            Account = new AccountContext(Account, Region),
            Groups =
            [
                new LogGroupSource("/aws/lambda/orders", 0, null, []),
                new LogGroupSource("/app/audit", 0, null, []),
            ],
            Access = new LogsAccess
            {
                Callers = key => key == Key
                    ? TestCallers.RoleSessionWith("Reader", """[{"Effect":"Allow","Action":"logs:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"VPCE"}}}]""".Replace("VPCE", Vpce, StringComparison.Ordinal))
                    : null,
                Origins = _ => throw new InvalidOperationException("An endpoint listener's connection has the listener's origin."),
                EndpointPolicies = new Dictionary<string, Cloister.Policy.Policy> { [Vpce] = TestCallers.Parse(endpointPolicy, PolicyKind.Resource) },
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _endpointSocket.Dispose();
        _certificate.Dispose();
        Directory.Delete(_home, recursive: true);
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
        new AwsCli(_home, Region) { CaBundle = Path.Combine(_home, "ca.pem") }.RunAsync(
            Key, TestCallers.Secret, ["logs", .. arguments, "--endpoint-url", $"https://127.0.0.1:{((IPEndPoint)_endpointSocket.LocalEndPoint!).Port}"]);
}
