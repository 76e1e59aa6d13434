using System.Collections.Immutable;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Cloister.Functions.InvokeApi;
using Cloister.Model.Compute;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>
/// What GetFunctionConfiguration and ListFunctions say of a function's package, revision and VPC (<c>CodeSize</c>,
/// <c>CodeSha256</c>, <c>RevisionId</c>, <c>VpcConfig.VpcId</c>) over a real loopback socket, and Invoke without a payload.
/// </summary>
public sealed class CodeDescriptionTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>, IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("cloister-code-description-").FullName;
    private readonly HttpClient _client = new();
    private InvokeApiServer? _server;

    private Uri Url => _server!.Urls[0];

    public async Task InitializeAsync() =>
        _server = await InvokeApiServer.StartAsync(
            LoopbackInvokeApi.Open() with
            {
                VpcOfSubnet = new Dictionary<string, string> { ["subnet-0a1"] = "vpc-0abc" },
            },
            fixture.Service);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _client.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task GetFunctionConfiguration_ZipCode_SizeAndBase64Sha256OfTheZip()
    {
        var zip = Path.Combine(_work, "code.zip");
        ZipFile.CreateFromDirectory(Path.Combine(ServiceFixture.FunctionsDirectory, "python"), zip);
        var name = await DeployAsync(zip);

        var configuration = await ConfigurationAsync(name);

        var bytes = await File.ReadAllBytesAsync(zip);
        Assert.Equal(bytes.Length, configuration.GetProperty("CodeSize").GetInt64());
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(bytes)), configuration.GetProperty("CodeSha256").GetString());
    }

    [Fact]
    public async Task GetFunctionConfiguration_SameFolderCopiedAtAnotherTime_SameSha256UntilAFileChanges()
    {
        var copy = CopyOfPythonFunction("copy");
        File.SetLastWriteTimeUtc(Path.Combine(copy, "app.py"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var original = await ConfigurationAsync(await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python")));
        var copied = await ConfigurationAsync(await DeployAsync(copy));
        var changed = CopyOfPythonFunction("changed");
        await File.AppendAllTextAsync(Path.Combine(changed, "app.py"), "\n# changed\n");

        var edited = await ConfigurationAsync(await DeployAsync(changed));

        Assert.Equal(original.GetProperty("CodeSha256").GetString(), copied.GetProperty("CodeSha256").GetString());
        Assert.Equal(original.GetProperty("CodeSize").GetInt64(), copied.GetProperty("CodeSize").GetInt64());
        Assert.Equal(32, Convert.FromBase64String(original.GetProperty("CodeSha256").GetString()!).Length);
        Assert.NotEqual(original.GetProperty("CodeSha256").GetString(), edited.GetProperty("CodeSha256").GetString());
    }

    [Fact]
    public async Task GetFunctionConfiguration_InlineCode_PackageOfIndexPy()
    {
        const string Source = "def handler(event, context):\n    return event\n";
        var first = await ConfigurationAsync(await DeployAsync(null, Source, "index.handler"));
        var second = await ConfigurationAsync(await DeployAsync(null, Source, "index.handler"));

        Assert.True(first.GetProperty("CodeSize").GetInt64() > 0);
        Assert.Equal(first.GetProperty("CodeSha256").GetString(), second.GetProperty("CodeSha256").GetString());
    }

    [Fact]
    public async Task GetFunctionConfiguration_Redeployed_RevisionIdStableBetweenCallsThenNew()
    {
        var name = await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python"));
        var first = (await ConfigurationAsync(name)).GetProperty("RevisionId").GetString();
        var again = (await ConfigurationAsync(name)).GetProperty("RevisionId").GetString();

        await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python"), name: name, memorySize: 512);
        var redeployed = (await ConfigurationAsync(name)).GetProperty("RevisionId").GetString();

        Assert.True(Guid.TryParseExact(first, "D", out _), first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, redeployed);
    }

    [Fact]
    public async Task GetFunctionConfigurationAndListFunctions_SubnetOfAKnownVpc_VpcId()
    {
        var known = await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python"), vpc: new VpcConfig(["subnet-unknown", "subnet-0a1"], ["sg-1"]));
        var unknown = await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python"), vpc: new VpcConfig(["subnet-unknown"], ["sg-1"]));

        var vpc = (await ConfigurationAsync(known)).GetProperty("VpcConfig");
        var listed = await GetAsync("/2015-03-31/functions/");

        Assert.Equal("vpc-0abc", vpc.GetProperty("VpcId").GetString());
        Assert.Equal(["subnet-unknown", "subnet-0a1"], vpc.GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetString()));
        Assert.False((await ConfigurationAsync(unknown)).GetProperty("VpcConfig").TryGetProperty("VpcId", out _));
        var entry = listed.GetProperty("Functions").EnumerateArray().Single(f => f.GetProperty("FunctionName").GetString() == known);
        Assert.Equal("vpc-0abc", entry.GetProperty("VpcConfig").GetProperty("VpcId").GetString());
        Assert.True(entry.TryGetProperty("CodeSha256", out _));
        Assert.True(entry.TryGetProperty("RevisionId", out _));
    }

    [Fact]
    public async Task Invoke_NoPayload_FunctionGetsAnEmptyObject()
    {
        var name = await DeployAsync(Path.Combine(ServiceFixture.FunctionsDirectory, "python"));

        using var response = await _client.PostAsync(new Uri(Url, $"/2015-03-31/functions/{name}/invocations"), content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetFunctionConfiguration_WithLayers_ListsEachArnAndPackageSizeInOrder()
    {
        var zip = Path.Combine(_work, "layer.zip");
        ZipFile.CreateFromDirectory(Path.Combine(ServiceFixture.FunctionsDirectory, "python"), zip);
        var folder = Directory.CreateDirectory(Path.Combine(_work, "folder-layer", "python")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "python", "shared.py"), "X = 1\n");
        LayerVersion[] layers =
        [
            new("Zipped", "zipped", "arn:aws:lambda:eu-central-1:123456789012:layer:zipped:1", zip, [], [], null),
            new("Folder", "folder", "arn:aws:lambda:eu-central-1:123456789012:layer:folder:1", folder, [], [], null),
        ];
        var name = "code-" + Guid.NewGuid().ToString("N")[..16];
        var deployed = await fixture.Service.DeployAsync(new LambdaFunction(name, name, "python3.12", "index.handler", null, "def handler(e, c):\n    return 1\n", 256, 3, ImmutableDictionary<string, string>.Empty, null, null) { Layers = [.. layers] });
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));

        var listed = (await ConfigurationAsync(name)).GetProperty("Layers").EnumerateArray().ToList();

        Assert.Equal(layers.Select(l => l.Arn), listed.Select(l => l.GetProperty("Arn").GetString()));
        Assert.Equal(new FileInfo(zip).Length, listed[0].GetProperty("CodeSize").GetInt64());
        Assert.InRange(listed[1].GetProperty("CodeSize").GetInt64(), 1, 4096);
    }

    private async Task<string> DeployAsync(string? codePath, string? inline = null, string handler = "app.handler", string? name = null, int memorySize = 256, VpcConfig? vpc = null)
    {
        name ??= "code-" + Guid.NewGuid().ToString("N")[..16];
        var deployed = await fixture.Service.DeployAsync(new LambdaFunction(name, name, "python3.12", handler, codePath, inline, memorySize, 3, ImmutableDictionary<string, string>.Empty, vpc, null));
        Assert.True(deployed.Succeeded, string.Join("; ", deployed.Problems));
        return name;
    }

    private Task<JsonElement> ConfigurationAsync(string name) => GetAsync($"/2015-03-31/functions/{name}/configuration");

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(Url, path));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private string CopyOfPythonFunction(string folder)
    {
        var target = Directory.CreateDirectory(Path.Combine(_work, folder)).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(ServiceFixture.FunctionsDirectory, "python")))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
