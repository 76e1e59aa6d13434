using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Model.Compute;
using Cloister.Policy;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// Lambda's tagging operations on the Invoke API's listener: ListTags, TagResource and UntagResource over raw HTTP
/// (statuses, error types and bodies as Lambda answers) and through the AWS CLI v2 as a user runs them, authorized with
/// their own IAM actions; GetFunction's <c>Tags</c>, shown only to a caller allowed <c>lambda:ListTags</c>.
/// </summary>
public sealed class TagOperationsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private const string Account = TestCallers.Account;
    private const string Region = TestCallers.Region;
    private const string TaggerKey = "ASIATAGGER0000000001";
    private const string ReaderKey = "ASIAREADER0000000001";

    private static readonly ImmutableDictionary<string, string> TemplateTags = ImmutableDictionary<string, string>.Empty
        .Add("team", "claims")
        .Add("lambda:createdBy", "SAM")
        .Add("aws:cloudformation:stack-name", "claims")
        .Add("aws:cloudformation:logical-id", "ClaimsFunction")
        .Add("aws:cloudformation:stack-id", $"arn:aws:cloudformation:{Region}:{Account}:stack/claims/00000000-0000-0000-0000-000000000001");

    private readonly string _home = Directory.CreateTempSubdirectory("cloister-lambda-tags-").FullName;
    private InvokeApiServer? _signed;
    private InvokeApiServer? _open;

    private Uri SignedUrl => _signed!.Urls[0];

    private Uri OpenUrl => _open!.Urls[0];

    public async Task InitializeAsync()
    {
        _signed = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Signed(Caller), fixture.Service);
        _open = await InvokeApiServer.StartAsync(LoopbackInvokeApi.Open(), fixture.Service);
    }

    public async Task DisposeAsync()
    {
        await _signed!.DisposeAsync();
        await _open!.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task ListTags_DeployedFunction_200WithTheTemplatesAndCloudFormationsTags()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var response = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TemplateTags.OrderBy(t => t.Key, StringComparer.Ordinal), await TagsOf(response));
    }

    [Fact]
    public async Task ListTags_ArnWithAQualifier_400InvalidParameterValue()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var response = await client.GetAsync(Tags(OpenUrl, Arn(name) + ":1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidParameterValueException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal("Tags on function aliases and versions are not supported. Please specify a function ARN.", await MessageOf(response));
    }

    [Theory]
    [InlineData("just-a-name")]
    [InlineData("arn:aws:s3:::bucket")]
    public async Task ListTags_NotALambdaArn_400ValidationException(string resource)
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(Tags(OpenUrl, resource));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", Header(response, "x-amzn-ErrorType"));
        Assert.StartsWith($"1 validation error detected: Value '{resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:", await MessageOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagResource_NotALambdaArnAndNoTags_BothViolationsInOneValidationException()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(Tags(OpenUrl, "just-a-name"), new StringContent("{}"));
        var message = await MessageOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", Header(response, "x-amzn-ErrorType"));
        Assert.StartsWith("2 validation errors detected: Value 'just-a-name' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:", message, StringComparison.Ordinal);
        Assert.EndsWith("; Value null at 'tags' failed to satisfy constraint: Member must not be null", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UntagResource_NotALambdaArnAndNoKeys_BothViolationsInOneValidationException()
    {
        using var client = new HttpClient();

        using var response = await client.DeleteAsync(Tags(OpenUrl, "arn:aws:s3:::bucket"));
        var message = await MessageOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("2 validation errors detected: Value 'arn:aws:s3:::bucket' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:", message, StringComparison.Ordinal);
        Assert.EndsWith("; Value null at 'tagKeys' failed to satisfy constraint: Member must not be null", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-function", Account, Region)]
    [InlineData(null, "210987654321", Region)]
    [InlineData(null, Account, "us-east-1")]
    public async Task ListTags_NoSuchFunctionHere_404ResourceNotFound(string? function, string account, string region)
    {
        var name = function ?? await DeployAsync();
        var arn = $"arn:aws:lambda:{region}:{account}:function:{name}";
        using var client = new HttpClient();

        using var response = await client.GetAsync(Tags(OpenUrl, arn));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal($"Function not found: {arn}", await MessageOf(response));
    }

    [Fact]
    public async Task TagResource_NewAndExistingKeys_204ThenListTagsShowsThem()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var tagged = await client.PostAsync(Tags(OpenUrl, Arn(name)), Json("""{"Tags":{"team":"payments","env":"test"}}"""));
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.Equal(HttpStatusCode.NoContent, tagged.StatusCode);
        Assert.Empty(await tagged.Content.ReadAsByteArrayAsync());
        var tags = (await TagsOf(listed)).ToDictionary();
        Assert.Equal("payments", tags["team"]);
        Assert.Equal("test", tags["env"]);
        Assert.Equal("SAM", tags["lambda:createdBy"]);
    }

    [Theory]
    [InlineData("""{"Tags":{"aws:team":"x"}}""", "InvalidParameterValueException")]
    [InlineData("""{"Tags":{"AWS:cloudformation:stack-name":"other"}}""", "InvalidParameterValueException")]
    [InlineData("""{"Tags":{"":"x"}}""", "ValidationException")]
    [InlineData("""{"Tags":{"ok":"x"},"Other":1}""", null)]
    [InlineData("""{"NotTags":{}}""", "ValidationException")]
    [InlineData("""{"Tags":{"team":7}}""", "InvalidRequestContentException")]
    [InlineData("""not json""", "InvalidRequestContentException")]
    public async Task TagResource_BadTags_400AndTheTagsUnchanged(string body, string? errorType)
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var tagged = await client.PostAsync(Tags(OpenUrl, Arn(name)), Json(body));
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        if (errorType is null)
        {
            Assert.Equal(HttpStatusCode.NoContent, tagged.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, tagged.StatusCode);
        Assert.Equal(errorType, Header(tagged, "x-amzn-ErrorType"));
        Assert.Equal(TemplateTags.OrderBy(t => t.Key, StringComparer.Ordinal), await TagsOf(listed));
    }

    [Theory]
    [InlineData(128, 256, HttpStatusCode.NoContent)]
    [InlineData(129, 1, HttpStatusCode.BadRequest)]
    [InlineData(1, 257, HttpStatusCode.BadRequest)]
    public async Task TagResource_KeyAndValueLengths_LambdasLimits(int keyLength, int valueLength, HttpStatusCode expected)
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var tagged = await client.PostAsync(Tags(OpenUrl, Arn(name)), TagBody(new string('k', keyLength), new string('v', valueLength)));

        Assert.Equal(expected, tagged.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("ValidationException", Header(tagged, "x-amzn-ErrorType"));
        }
    }

    [Theory]
    [InlineData(48, HttpStatusCode.NoContent)]
    [InlineData(49, HttpStatusCode.BadRequest)]
    public async Task TagResource_FiftyUserTagsAtMost_AwsTagsNotCounted(int added, HttpStatusCode expected)
    {
        // Deployed with two tags of the user's (team, lambda:createdBy) and three of CloudFormation's.
        var name = await DeployAsync();
        var tags = string.Join(',', Enumerable.Range(0, added).Select(i => $"\"k{i}\":\"v\""));
        using var client = new HttpClient();

        using var tagged = await client.PostAsync(Tags(OpenUrl, Arn(name)), Json($"{{\"Tags\":{{{tags}}}}}"));
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.Equal(expected, tagged.StatusCode);
        var count = (await TagsOf(listed)).Count;
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("InvalidParameterValueException", Header(tagged, "x-amzn-ErrorType"));
            Assert.Equal("Number of tags exceeds resource tag limit.", await MessageOf(tagged));
            Assert.Equal(TemplateTags.Count, count);
        }
        else
        {
            Assert.Equal(TemplateTags.Count + added, count);
        }
    }

    [Fact]
    public async Task UntagResource_KeysGivenAndOneItLacks_204AndThoseKeysGone()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var untagged = await client.DeleteAsync(new Uri(Tags(OpenUrl, Arn(name)) + "?tagKeys=team&tagKeys=lambda%3AcreatedBy&tagKeys=never-set"));
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.Equal(HttpStatusCode.NoContent, untagged.StatusCode);
        Assert.Equal(["aws:cloudformation:logical-id", "aws:cloudformation:stack-id", "aws:cloudformation:stack-name"], (await TagsOf(listed)).Select(t => t.Key));
    }

    [Theory]
    [InlineData("?tagKeys=aws%3Acloudformation%3Astack-name", "InvalidParameterValueException")]
    [InlineData("", "ValidationException")]
    [InlineData("?tagKeys=", "ValidationException")]
    public async Task UntagResource_AwsKeyOrNoKeys_400AndTheTagsUnchanged(string query, string errorType)
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var untagged = await client.DeleteAsync(new Uri(Tags(OpenUrl, Arn(name)) + query));
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.Equal(HttpStatusCode.BadRequest, untagged.StatusCode);
        Assert.Equal(errorType, Header(untagged, "x-amzn-ErrorType"));
        Assert.Equal(TemplateTags.Count, (await TagsOf(listed)).Count);
    }

    [Fact]
    public async Task TagResource_ConcurrentCallsOnOneFunction_EveryTagKept()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await client.PostAsync(Tags(OpenUrl, Arn(name)), TagBody("k" + i, "v"));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);
        using var listed = await client.GetAsync(Tags(OpenUrl, Arn(name)));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.NoContent, status));
        Assert.Equal(TemplateTags.Count + 20, (await TagsOf(listed)).Count);
    }

    [Fact]
    public async Task GetFunction_OpenListener_TagsBesideTheConfiguration()
    {
        var name = await DeployAsync();
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(OpenUrl, $"/2015-03-31/functions/{name}"));

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("claims", answer.RootElement.GetProperty("Tags").GetProperty("team").GetString());
        Assert.False(answer.RootElement.GetProperty("Configuration").TryGetProperty("Tags", out _));
    }

    [Fact]
    public async Task TagResource_AwsCliTagListUntag_TheChangesAUserSees()
    {
        var name = await DeployAsync();

        var tagged = await AwsAsync(TaggerKey, "tag-resource", "--resource", Arn(name), "--tags", "env=test,team=payments");
        var untagged = await AwsAsync(TaggerKey, "untag-resource", "--resource", Arn(name), "--tag-keys", "lambda:createdBy");
        var (exitCode, output, error) = await AwsAsync(TaggerKey, "list-tags", "--resource", Arn(name));

        Assert.True(tagged.ExitCode == 0, tagged.Error);
        Assert.True(untagged.ExitCode == 0, untagged.Error);
        Assert.True(exitCode == 0, error);
        var tags = JsonDocument.Parse(output).RootElement.GetProperty("Tags").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString());
        Assert.Equal("payments", tags["team"]);
        Assert.Equal("test", tags["env"]);
        Assert.False(tags.ContainsKey("lambda:createdBy"));
        Assert.Equal("ClaimsFunction", tags["aws:cloudformation:logical-id"]);
    }

    [Fact]
    public async Task ListTags_AwsCliVersionArn_InvalidParameterValue()
    {
        var name = await DeployAsync();

        var (exitCode, _, error) = await AwsAsync(TaggerKey, "list-tags", "--resource", Arn(name) + ":$LATEST");

        Assert.Equal(254, exitCode);
        Assert.Contains("An error occurred (InvalidParameterValueException) when calling the ListTags operation: Tags on function aliases and versions are not supported. Please specify a function ARN.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagResource_AwsCliCallerWithoutTheAction_AccessDeniedAndTheTagsUnchanged()
    {
        var name = await DeployAsync();

        var (exitCode, _, error) = await AwsAsync(ReaderKey, "tag-resource", "--resource", Arn(name), "--tags", "team=mine");
        var listed = await AwsAsync(TaggerKey, "list-tags", "--resource", Arn(name));

        Assert.Equal(254, exitCode);
        Assert.Contains($"An error occurred (AccessDeniedException) when calling the TagResource operation: User: arn:aws:sts::{Account}:assumed-role/Reader/session is not authorized to perform: lambda:TagResource on resource: {Arn(name)} because no identity-based policy allows the lambda:TagResource action", error, StringComparison.Ordinal);
        Assert.Equal("claims", JsonDocument.Parse(listed.Output).RootElement.GetProperty("Tags").GetProperty("team").GetString());
    }

    [Fact]
    public async Task GetFunction_AwsCliCallerAllowedListTags_TagsShown()
    {
        var name = await DeployAsync();

        var (exitCode, output, error) = await AwsAsync(TaggerKey, "get-function", "--function-name", name);

        Assert.True(exitCode == 0, error);
        Assert.Equal("SAM", JsonDocument.Parse(output).RootElement.GetProperty("Tags").GetProperty("lambda:createdBy").GetString());
    }

    [Fact]
    public async Task GetFunction_AwsCliCallerWithoutListTags_TagsErrorInsteadOfTags()
    {
        var name = await DeployAsync();

        // --debug shows the body as it came: this CLI's model predates TagsError, so its output drops it.
        var (exitCode, output, error) = await AwsAsync(ReaderKey, "get-function", "--function-name", name, "--debug");

        Assert.True(exitCode == 0, error);
        Assert.False(JsonDocument.Parse(output).RootElement.TryGetProperty("Tags", out _));
        Assert.Contains("\"TagsError\":{\"ErrorCode\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:sts::" + Account + ":assumed-role/Reader/session is not authorized to perform: lambda:ListTags", error, StringComparison.Ordinal);
    }

    /// <summary>Tagger may read functions and list, add and remove their tags; Reader may only read them.</summary>
    private static CallerIdentity? Caller(string keyId) =>
        keyId switch
        {
            TaggerKey => TestCallers.RoleSession("Tagger", """["lambda:GetFunction","lambda:ListTags","lambda:TagResource","lambda:UntagResource"]"""),
            ReaderKey => TestCallers.RoleSession("Reader", """["lambda:GetFunction"]"""),
            _ => null,
        };

    /// <summary>A function of its own for the test, deployed with <see cref="TemplateTags"/>.</summary>
    private async Task<string> DeployAsync()
    {
        var name = "tags-" + Guid.NewGuid().ToString("N")[..12];
        var function = new LambdaFunction("ClaimsFunction", name, "python3.12", "app.handler", Path.Combine(ServiceFixture.FunctionsDirectory, "python"), null, 128, 3, ImmutableDictionary<string, string>.Empty, null, null)
        {
            Tags = TemplateTags,
        };
        var deployed = await fixture.Service.DeployAsync(function);
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        return name;
    }

    private static string Arn(string name) => $"arn:aws:lambda:{Region}:{Account}:function:{name}";

    private static Uri Tags(Uri listener, string resource) => new(listener, "/2017-03-31/tags/" + Uri.EscapeDataString(resource));

    private static StringContent TagBody(string key, string value) => Json(JsonSerializer.Serialize(new { Tags = new Dictionary<string, string> { [key] = value } }));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static async Task<List<KeyValuePair<string, string>>> TagsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. answer.RootElement.GetProperty("Tags").EnumerateObject().Select(t => KeyValuePair.Create(t.Name, t.Value.GetString()!))];
    }

    private static async Task<string?> MessageOf(HttpResponseMessage response)
    {
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("message").GetString();
    }

    private Task<(int ExitCode, string Output, string Error)> AwsAsync(string keyId, params string[] arguments) =>
        new AwsCli(_home, Region).RunAsync(keyId, TestCallers.Secret, ["lambda", .. arguments, "--endpoint-url", SignedUrl.ToString().TrimEnd('/')]);
}
