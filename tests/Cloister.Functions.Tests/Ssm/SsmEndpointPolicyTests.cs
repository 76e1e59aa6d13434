using Cloister.Functions.Ssm;
using Cloister.Functions.Tests.Support;
using Cloister.Model;

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
    private const string Key = "ASIAENDPOINT00000002";

    private readonly TestHome _home = new("cloister-ssm-endpoint-");
    private readonly LoopbackInterfaceEndpoint _endpoint = new(Vpce);
    private SsmServer? _server;

    public async Task InitializeAsync()
    {
        var endpointPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:{{Region}}:{{Account}}:parameter/app/*"}
            ]}
            """;
        _server = await SsmServer.StartAsync(new SsmOptions
        {
            EndpointListeners = [_endpoint.Listener(_home.Certificate)],
            Certificate = _home.Certificate,
            Account = new AccountContext(Account, Region),
            DataDirectory = Path.Combine(_home.Folder, "ssm"),
            Seeds = [new ParameterSeed("/app/url", "String", "https://app"), new ParameterSeed("/ops/key", "String", "k")],
            Access = _endpoint.Access<SsmAccess>(key => key == Key ? TestCallers.RoleSessionThrough("App", "\"ssm:*\"", Vpce) : null, endpointPolicy),
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
        _home.Cli(Region).RunAsync(Key, TestCallers.Secret, ["ssm", .. arguments, "--endpoint-url", _endpoint.Url]);
}
