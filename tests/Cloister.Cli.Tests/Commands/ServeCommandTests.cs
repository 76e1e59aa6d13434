using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Cloister.Host;

namespace Cloister.Cli.Tests.Commands;

public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloister-serve-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ServeDynamodb_WithCredentials_AcceptsOnlyRequestsSignedWithThem()
    {
        await using var serve = await Served.StartAsync("serve", "dynamodb", "--port", "0", "--data", _directory,
            "--credentials", "AKIDCLITEST:cli/secret+key", "--credentials", "AKIDOTHER:other");

        Assert.Contains("SigV4 required for AKIDCLITEST, AKIDOTHER", serve.FirstLine, StringComparison.Ordinal);
        using var signed = Client(serve.Url, "AKIDCLITEST", "cli/secret+key");
        Assert.Empty((await signed.ListTablesAsync()).TableNames ?? []);
        using var second = Client(serve.Url, "AKIDOTHER", "other");
        Assert.Empty((await second.ListTablesAsync()).TableNames ?? []);

        using var wrongSecret = Client(serve.Url, "AKIDCLITEST", "not-the-secret");
        var refused = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => wrongSecret.ListTablesAsync());
        Assert.Equal("InvalidSignatureException", refused.ErrorCode);

        using var unknown = Client(serve.Url, "AKIDUNKNOWN", "cli/secret+key");
        var unrecognized = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => unknown.ListTablesAsync());
        Assert.Equal("UnrecognizedClientException", unrecognized.ErrorCode);
    }

    [Fact]
    public async Task ServeDynamodb_WithoutCredentials_AcceptsAnyCredentials()
    {
        await using var serve = await Served.StartAsync("serve", "dynamodb", "--port", "0", "--data", _directory);

        Assert.Contains("any credentials accepted", serve.FirstLine, StringComparison.Ordinal);
        using var client = Client(serve.Url, "AKIDANYTHING", "whatever");
        Assert.Empty((await client.ListTablesAsync()).TableNames ?? []);
    }

    [Theory]
    [InlineData("AKIDNOSECRET")]
    [InlineData("AKIDEMPTY:")]
    [InlineData(":secret-without-key")]
    public async Task ServeDynamodb_MalformedCredentials_FailsWithoutEchoingTheValue(string value)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "dynamodb", "--port", "0", "--data", _directory, "--credentials", value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--credentials takes KEY:SECRET", error, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeDynamodb_PortInUse_SaysSoInOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "dynamodb", "--port", port, "--data", _directory);

        Assert.Equal(1, exitCode);
        Assert.Equal($"cloister serve dynamodb: 127.0.0.1:{port} is already in use; pick another --port (0 picks a free one).", error.TrimEnd());
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    public async Task ServeDynamodb_PortOutOfRange_RefusedAsBadArgument(string port)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "dynamodb", "--port", port, "--data", _directory);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"--port {port}: a TCP port is 0 to 65535.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeDynamodb_DataIsAFile_SaysSoInOneLine()
    {
        var file = Path.Combine(_directory, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");

        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "dynamodb", "--port", "0", "--data", file);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"cloister serve dynamodb: the data folder {file} cannot be used: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ServeDynamodb_DataOpenInAnotherService_SaysSoInOneLine()
    {
        // A running stack holds its region's store as this first service holds the folder: a second copy of it is refused.
        await using var first = await Served.StartAsync("serve", "dynamodb", "--port", "0", "--data", _directory);

        var (exitCode, _, error) = await CliRunner.RunAsync("serve", "dynamodb", "--port", "0", "--data", _directory);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"cloister serve dynamodb: the data folder {_directory} cannot be used: ", error, StringComparison.Ordinal);
        Assert.Contains("is open in another process", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ServeDynamodb_AccountIdNotTwelveDigits_RefusedInOneLineAsUpRefusesIt()
    {
        await using var cli = new CliProcess();
        cli.Environment["CLOISTER_ACCOUNT_ID"] = "acme";

        var (exitCode, output, error) = await cli.RunAsync("serve", "dynamodb", "--port", "0");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal(
            "cloister serve dynamodb: CLOISTER_ACCOUNT_ID 'acme' is not an account id: an account id is exactly 12 digits, such as 123456789012; unset it (or leave it empty) for 000000000000.",
            error.TrimEnd('\n'));
        Assert.False(Directory.Exists(cli.State.Tables), "serve created the tables folder");
    }

    [Fact]
    public async Task ServeDynamodb_AccountIdSet_ServesThatAccountsStore()
    {
        await using var cli = new CliProcess();
        cli.Environment["CLOISTER_ACCOUNT_ID"] = "123456789012";
        cli.Environment["AWS_REGION"] = "eu-west-1";
        using var serve = cli.Start("serve", "dynamodb", "--port", "0");

        var first = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await CliProcess.SignalAsync(serve, "TERM");
        var (exitCode, _, error) = await CliProcess.FinishAsync(serve, TimeSpan.FromSeconds(30), "serve", "dynamodb");

        Assert.True(exitCode == 0, error);
        Assert.Contains($"(data: {Path.Combine(cli.State.Tables, "123456789012", "eu-west-1")};", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeDynamodb_Sigterm_StopsTheProcess()
    {
        // The real command as its own process: SIGTERM (and SIGINT, Ctrl-C, by the same handler) went to the embedded
        // Kestrel host, which stopped only itself, and the service went on running.
        var program = HostLauncher.CloisterProgram(AppContext.BaseDirectory);
        var start = new ProcessStartInfo(program[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in program.Skip(1).Concat(["serve", "dynamodb", "--port", "0", "--data", _directory]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cloister did not start.");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("DynamoDB-compatible service on", line, StringComparison.Ordinal);

            using var kill = Process.Start("kill", ["-s", "TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static AmazonDynamoDBClient Client(Uri url, string keyId, string secret) => new(
        new BasicAWSCredentials(keyId, secret),
        new AmazonDynamoDBConfig { ServiceURL = url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [GeneratedRegex(@"on (http://\S+?)[,\s]")]
    private static partial Regex UrlPattern();

    /// <summary><c>cloister serve dynamodb</c> running in process until disposed (its cancellation, as Ctrl+C).</summary>
    private sealed class Served : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task<int> _run;

        private Served(CancellationTokenSource stop, Task<int> run, string firstLine)
        {
            _stop = stop;
            _run = run;
            FirstLine = firstLine;
            Url = new Uri(UrlPattern().Match(firstLine).Groups[1].Value);
        }

        public string FirstLine { get; }

        public Uri Url { get; }

        public static async Task<Served> StartAsync(params string[] args)
        {
            var output = new FirstLineWriter();
            var stop = new CancellationTokenSource();
            var run = CliApplication.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);
            var first = await Task.WhenAny(output.FirstLine, run);
            Assert.Same(output.FirstLine, first);
            return new Served(stop, run, await output.FirstLine);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            Assert.Equal(0, await _run.WaitAsync(TimeSpan.FromSeconds(30)));
            _stop.Dispose();
        }
    }

    /// <summary>Completes <see cref="FirstLine"/> with the first line the command writes.</summary>
    private sealed class FirstLineWriter : StringWriter
    {
        private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _firstLine.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _firstLine.TrySetResult(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
