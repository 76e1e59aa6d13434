using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloister.Functions.Ssm;
using Cloister.Functions.Tests.Sts;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Policy;

namespace Cloister.Functions.Tests.Ssm;

/// <summary>
/// An <c>ssm</c> interface endpoint over Parameter Store: the AWS CLI v2 calls the server on a loopback socket standing
/// for the endpoint's network interface. The caller's identity policy allows every SSM action only through that
/// endpoint (<c>aws:SourceVpce</c>); the endpoint's policy allows only GetParameter, on <c>/app/*</c>.
/// </summary>
public sealed class SsmEndpointPolicyTests : IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string Vpce = "vpce-0ssm0bbbbccccdddd";
    private const string Vpc = "vpc-0123456789abcdef0";
    private const string Key = "ASIAENDPOINT00000002";

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-ssm-endpoint-").FullName;
    private readonly Socket _endpointSocket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly X509Certificate2 _certificate = StsServerTests.SelfSigned();
    private SsmServer? _server;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_home, "ca.pem"), _certificate.ExportCertificatePem());
        _endpointSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _endpointSocket.Listen();
        var endpointPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:{{Region}}:{{Account}}:parameter/app/*"}
            ]}
            """;
        _server = await SsmServer.StartAsync(new SsmOptions
        {
            EndpointListeners = [new InterfaceEndpointListener(Vpce, Vpc, _endpointSocket, _certificate)],
            Certificate = _certificate,
            Account = new AccountContext(Account, Region),
            DataDirectory = Path.Combine(_home, "ssm"),
            Seeds = [new ParameterSeed("/app/url", "String", "https://app"), new ParameterSeed("/ops/key", "String", "k")],
            Access = new SsmAccess
            {
                Callers = key => key == Key
                    ? TestCallers.RoleSessionWith("App", """[{"Effect":"Allow","Action":"ssm:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"VPCE"}}}]""".Replace("VPCE", Vpce, StringComparison.Ordinal))
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
    public async Task GetParameter_EndpointPolicyAndSourceVpceConditionAllow_TheValue()
    {
        var aws = await SsmAsync("get-parameter", "--name", "/app/url");

        Assert.True(aws.ExitCode == 0, aws.Error);
        Assert.Contains("\"Value\": \"https://app\"", aws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetParameter_ParameterOutsideTheEndpointPolicy_AccessDeniedBecauseNoVpcEndpointPolicyAllows()
    {
        var aws = await SsmAsync("get-parameter", "--name", "/ops/key");

        Assert.Equal(254, aws.ExitCode);
        Assert.Contains(
            $"An error occurred (AccessDeniedException) when calling the GetParameter operation: User: arn:aws:sts::{Account}:assumed-role/App/session is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:{Region}:{Account}:parameter/ops/key because no VPC endpoint policy allows the ssm:GetParameter action",
            aws.Error,
            StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> SsmAsync(params string[] arguments) =>
        new AwsCli(_home, Region) { CaBundle = Path.Combine(_home, "ca.pem") }.RunAsync(
            Key, TestCallers.Secret, ["ssm", .. arguments, "--endpoint-url", $"https://127.0.0.1:{((IPEndPoint)_endpointSocket.LocalEndPoint!).Port}"]);
}
