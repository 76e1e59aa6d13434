using Cloister.Host.Control;

namespace Cloister.Host.Tests;

/// <summary>
/// API Gateway's regional front end is opened only when the sandbox comes up: a deployment that adds the first public
/// API to a sandbox that came up without it is refused with nothing changed, rather than taken and never served.
/// </summary>
public sealed class HostRunnerFrontEndTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task Deploy_FirstPublicApiAddedToASandboxWithoutTheFrontEnd_RefusedNamingTheFrontEndWithNothingChanged()
    {
        const string Template = $$"""
            Resources:
              #API#
              {{GreeterFunction}}
            """;
        var request = Request(Template);
        Assert.Equal("ready", (await ProgressAsync(Start(request)))[^1].State);

        await File.WriteAllTextAsync(request.Templates[0].Path, Template.Replace(
            "#API#", "Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: public, EndpointConfiguration: { Types: [REGIONAL] } } }", StringComparison.Ordinal));
        var refused = await CloisterAsync("deploy");
        var status = (await ControlClient.SendAsync(_state.ControlSocket, new ControlRequest("status"), TimeSpan.FromSeconds(10)))!.Status!;

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(
            "API Gateway's regional front end (public REST APIs' default names, REGIONAL custom domain names): added; the sandbox came up without it (the templates up ran had neither) and a running sandbox cannot open it: ./cloister down && ./cloister up",
            refused.Output,
            StringComparison.Ordinal);
        Assert.Contains("nothing was changed", refused.Error, StringComparison.Ordinal);
        Assert.Equal("CREATE_COMPLETE", status.Stacks.Single().StackStatus);
        Assert.DoesNotContain(status.Stacks.Single().Resources, r => r.LogicalResourceId == "Api");
    }
}
