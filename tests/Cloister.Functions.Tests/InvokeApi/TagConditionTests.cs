using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Gateway.Tests.Signing;
using Cloister.Model.Compute;
using Cloister.Policy;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// The tag condition keys of Lambda's authorization on the Invoke API's listener, over raw HTTP signed with SigV4 by an
/// independent signer: <c>aws:ResourceTag/KEY</c> is the function's tags as they are when the call comes (so a
/// TagResource changes the next decision), <c>aws:RequestTag/KEY</c> and <c>aws:TagKeys</c> the tags TagResource
/// gives, and <c>aws:TagKeys</c> the keys UntagResource names.
/// </summary>
public sealed class TagConditionTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;

    /// <summary>May invoke a function tagged team=claims, nothing else.</summary>
    private const string ClaimsTeamKey = "ASIACLAIMSTEAM000001";

    /// <summary>May invoke every function but one tagged team=payments (an explicit deny).</summary>
    private const string NotPaymentsKey = "ASIANOTPAYMENTS00001";

    /// <summary>May tag and untag anything: the administrator who moves a function between teams.</summary>
    private const string AdminKey = "ASIAADMIN00000000001";

    /// <summary>May tag a team=claims function with env=test and no other key, and untag env or scratch only.</summary>
    private const string EnvTaggerKey = "ASIAENVTAGGER0000001";

    /// <summary>A role tagged team=claims allowed what AWS's ABAC example allows: functions whose team is the caller's.</summary>
    private const string PrincipalTagKey = "ASIAPRINCIPALTAG0001";

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-lambda-abac-").FullName;
    private InvokeApiServer? _server;

    private Uri Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        _server = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Signed(Caller), fixture.Service);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Invoke_ResourceTagMatchesTheAllowsCondition_200AndTheFunctionRuns()
    {
        var name = await DeployAsync("claims");

        using var response = await SendAsync(ClaimsTeamKey, HttpMethod.Post, Invocations(name), """{"hello":"tags"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("tags", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ResourceTagDiffers_403NoIdentityPolicyAllows()
    {
        var name = await DeployAsync("payments");

        using var response = await SendAsync(ClaimsTeamKey, HttpMethod.Post, Invocations(name), "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessDeniedException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal($"User: arn:aws:sts::{Account}:assumed-role/ClaimsTeam/session is not authorized to perform: lambda:InvokeFunction on resource: {Arn(name)} because no identity-based policy allows the lambda:InvokeFunction action", await MessageOf(response));
    }

    [Fact]
    public async Task Invoke_FunctionWithoutTheTag_403TheConditionsKeyIsAbsent()
    {
        var name = await DeployAsync(team: null);

        var status = await DryRunAsync(ClaimsTeamKey, name);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Invoke_QualifiedArnOfATaggedFunction_TheFunctionsTagsDecide()
    {
        var claims = await DeployAsync("claims");
        var payments = await DeployAsync("payments");

        var allowed = await DryRunAsync(ClaimsTeamKey, claims + ":$LATEST");
        var refused = await DryRunAsync(ClaimsTeamKey, payments + ":$LATEST");

        Assert.Equal(HttpStatusCode.NoContent, allowed);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Invoke_DenyOnTheResourceTag_403ExplicitDenyWhileOthersRun()
    {
        var payments = await DeployAsync("payments");
        var claims = await DeployAsync("claims");

        using var refused = await SendAsync(NotPaymentsKey, HttpMethod.Post, Invocations(payments), "{}", dryRun: true);
        var allowed = await DryRunAsync(NotPaymentsKey, claims);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal($"User: arn:aws:sts::{Account}:assumed-role/NotPayments/session is not authorized to perform: lambda:InvokeFunction on resource: {Arn(payments)} with an explicit deny in an identity-based policy", await MessageOf(refused));
        Assert.Equal(HttpStatusCode.NoContent, allowed);
    }

    [Fact]
    public async Task Invoke_AfterTagResourceChangesTheTeam_TheDecisionFlips()
    {
        var name = await DeployAsync("payments");

        var before = await DryRunAsync(ClaimsTeamKey, name);
        using var retagged = await SendAsync(AdminKey, HttpMethod.Post, Tags(name), """{"Tags":{"team":"claims"}}""");
        var after = await DryRunAsync(ClaimsTeamKey, name);
        using var untagged = await SendAsync(AdminKey, HttpMethod.Delete, Tags(name) + "?tagKeys=team", null);
        var afterUntag = await DryRunAsync(ClaimsTeamKey, name);

        Assert.Equal(HttpStatusCode.Forbidden, before);
        Assert.Equal(HttpStatusCode.NoContent, retagged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, after);
        Assert.Equal(HttpStatusCode.NoContent, untagged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, afterUntag);
    }

    [Fact]
    public async Task Invoke_ResourceTagEqualsThePrincipalsTag_OnlyTheCallersTeamsFunctions()
    {
        var claims = await DeployAsync("claims");
        var payments = await DeployAsync("payments");

        var allowed = await DryRunAsync(PrincipalTagKey, claims);
        var refused = await DryRunAsync(PrincipalTagKey, payments);

        Assert.Equal(HttpStatusCode.NoContent, allowed);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Invoke_AwsCliCallerOfAnotherTeam_AccessDeniedAsTheUserSeesIt()
    {
        var payments = await DeployAsync("payments");
        var claims = await DeployAsync("claims");
        var output = Path.Combine(_home, "out.json");
        var endpoint = Url.ToString().TrimEnd('/');

        var refused = await new AwsCli(_home, Region).RunAsync(ClaimsTeamKey, TestCallers.Secret, "lambda", "invoke", "--function-name", payments, "--endpoint-url", endpoint, output);
        var (exitCode, _, error) = await new AwsCli(_home, Region).RunAsync(ClaimsTeamKey, TestCallers.Secret, "lambda", "invoke", "--function-name", claims, "--endpoint-url", endpoint, output);

        Assert.Equal(254, refused.ExitCode);
        Assert.Contains($"An error occurred (AccessDeniedException) when calling the Invoke operation: User: arn:aws:sts::{Account}:assumed-role/ClaimsTeam/session is not authorized to perform: lambda:InvokeFunction on resource: {Arn(payments)} because no identity-based policy allows the lambda:InvokeFunction action", refused.Error, StringComparison.Ordinal);
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task GetFunction_ResourceTagCondition_TheFunctionsTagsDecide()
    {
        var claims = await DeployAsync("claims");
        var payments = await DeployAsync("payments");

        using var allowed = await SendAsync(ClaimsTeamKey, HttpMethod.Get, $"/2015-03-31/functions/{claims}/configuration", null);
        using var refused = await SendAsync(ClaimsTeamKey, HttpMethod.Get, $"/2015-03-31/functions/{payments}/configuration", null);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("""{"Tags":{"env":"test"}}""", HttpStatusCode.NoContent)]
    [InlineData("""{"Tags":{"env":"prod"}}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"Tags":{"env":"test","owner":"me"}}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"Tags":{"team":"payments"}}""", HttpStatusCode.Forbidden)]
    public async Task TagResource_RequestTagAndTagKeysConditions_OnlyTheTagsThePolicyNames(string body, HttpStatusCode expected)
    {
        var name = await DeployAsync("claims");

        using var tagged = await SendAsync(EnvTaggerKey, HttpMethod.Post, Tags(name), body);
        var tags = await TagsAsync(name);

        Assert.Equal(expected, tagged.StatusCode);
        Assert.Equal(expected == HttpStatusCode.NoContent ? "test" : null, tags.GetValueOrDefault("env"));
        Assert.Equal("claims", tags["team"]);
    }

    [Fact]
    public async Task TagResource_ResourceTagOfAnotherTeam_403EvenForTheAllowedTag()
    {
        var name = await DeployAsync("payments");

        using var tagged = await SendAsync(EnvTaggerKey, HttpMethod.Post, Tags(name), """{"Tags":{"env":"test"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, tagged.StatusCode);
        Assert.Equal($"User: arn:aws:sts::{Account}:assumed-role/EnvTagger/session is not authorized to perform: lambda:TagResource on resource: {Arn(name)} because no identity-based policy allows the lambda:TagResource action", await MessageOf(tagged));
    }

    [Theory]
    [InlineData("?tagKeys=env", HttpStatusCode.NoContent)]
    [InlineData("?tagKeys=env&tagKeys=scratch", HttpStatusCode.NoContent)]
    [InlineData("?tagKeys=team", HttpStatusCode.Forbidden)]
    [InlineData("?tagKeys=env&tagKeys=team", HttpStatusCode.Forbidden)]
    public async Task UntagResource_ForAllValuesTagKeys_OnlyTheKeysThePolicyNames(string query, HttpStatusCode expected)
    {
        var name = await DeployAsync("claims");
        using var tagged = await SendAsync(AdminKey, HttpMethod.Post, Tags(name), """{"Tags":{"env":"test"}}""");

        using var untagged = await SendAsync(EnvTaggerKey, HttpMethod.Delete, Tags(name) + query, null);
        var tags = await TagsAsync(name);

        Assert.Equal(HttpStatusCode.NoContent, tagged.StatusCode);
        Assert.Equal(expected, untagged.StatusCode);
        Assert.Equal(expected == HttpStatusCode.NoContent ? null : "test", tags.GetValueOrDefault("env"));
        Assert.Equal("claims", tags["team"]);
    }

    private static CallerIdentity? Caller(string keyId) =>
        keyId switch
        {
            ClaimsTeamKey => TestCallers.RoleSessionWith("ClaimsTeam", """
                [{"Effect":"Allow","Action":["lambda:InvokeFunction","lambda:GetFunctionConfiguration"],"Resource":"arn:aws:lambda:*:*:function:*",
                  "Condition":{"StringEquals":{"aws:ResourceTag/team":"claims"}}}]
                """),
            NotPaymentsKey => TestCallers.RoleSessionWith("NotPayments", """
                [{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"},
                 {"Effect":"Deny","Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"payments"}}}]
                """),
            AdminKey => TestCallers.RoleSessionWith("Admin", """[{"Effect":"Allow","Action":["lambda:TagResource","lambda:UntagResource","lambda:ListTags"],"Resource":"*"}]"""),
            EnvTaggerKey => TestCallers.RoleSessionWith("EnvTagger", """
                [{"Effect":"Allow","Action":"lambda:TagResource","Resource":"arn:aws:lambda:*:*:function:*",
                  "Condition":{"StringEquals":{"aws:ResourceTag/team":"claims","aws:RequestTag/env":"test"},"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}},
                 {"Effect":"Allow","Action":"lambda:UntagResource","Resource":"arn:aws:lambda:*:*:function:*",
                  "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","scratch"]}}}]
                """),
            PrincipalTagKey => TestCallers.RoleSessionWith(
                "PrincipalTagged",
                """
                [{"Effect":"Allow","Action":["lambda:InvokeFunction","lambda:GetFunction"],"Resource":"arn:aws:lambda:*:*:function:*",
                  "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]
                """,
                ImmutableDictionary<string, string>.Empty.Add("team", "claims")),
            _ => null,
        };

    /// <summary>A function of its own for the test, tagged <c>team</c> = <paramref name="team"/> (untagged when null).</summary>
    private async Task<string> DeployAsync(string? team)
    {
        var name = "abac-" + Guid.NewGuid().ToString("N")[..12];
        var function = new LambdaFunction("AbacFunction", name, "python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"), null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null)
        {
            Tags = team is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.Add("team", team),
        };
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        return name;
    }

    /// <summary>The function's tags now, listed by the administrator.</summary>
    private async Task<Dictionary<string, string>> TagsAsync(string name)
    {
        using var listed = await SendAsync(AdminKey, HttpMethod.Get, Tags(name), null);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var answer = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("Tags").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString()!);
    }

    /// <summary>The status of a signed DryRun Invoke of <paramref name="function"/>: 204 when the caller may invoke it, else 403.</summary>
    private async Task<HttpStatusCode> DryRunAsync(string keyId, string function)
    {
        using var response = await SendAsync(keyId, HttpMethod.Post, Invocations(function), "{}", dryRun: true);
        return response.StatusCode;
    }

    /// <summary>A call signed for <c>lambda</c> with <paramref name="keyId"/>'s secret, as an SDK sends it.</summary>
    private async Task<HttpResponseMessage> SendAsync(string keyId, HttpMethod method, string pathAndQuery, string? body, bool dryRun = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(Url, pathAndQuery));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (dryRun)
        {
            request.Headers.Add("X-Amz-Invocation-Type", "DryRun");
        }

        TestSigner.Sign(request, keyId, TestCallers.Secret, null, Region, DateTimeOffset.UtcNow, "lambda");
        using var client = new HttpClient();
        return await client.SendAsync(request);
    }

    private static string Arn(string name) => $"arn:aws:lambda:{Region}:{Account}:function:{name}";

    private static string Invocations(string name) => $"/2015-03-31/functions/{Uri.EscapeDataString(name)}/invocations";

    private static string Tags(string name) => "/2017-03-31/tags/" + Uri.EscapeDataString(Arn(name));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static async Task<string?> MessageOf(HttpResponseMessage response)
    {
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("message").GetString();
    }
}
