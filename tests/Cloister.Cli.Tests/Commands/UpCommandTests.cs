using System.Net.Sockets;
using System.Text.Json;
using Cloister.Host;
using Cloister.Host.Control;
using Cloister.Model;
using Cloister.Tables.Hosting;

namespace Cloister.Cli.Tests.Commands;

/// <summary><c>cloister up</c> as its own process: interrupted while the stacks come up, run twice at once, and the account (<c>CLOISTER_ACCOUNT_ID</c>) it deploys in.</summary>
public sealed class UpCommandTests : IAsyncLifetime
{
    private static readonly string Template = SmallStack.Template;

    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    [Fact(Timeout = 300_000)]
    public async Task Up_InterruptedWhileComingUp_TearsDownAndLeavesNothing()
    {
        // Before, Ctrl-C while the host was still bringing the stacks up ended the CLI only: the host, in a session of
        // its own, went on and left the stacks running after the prompt came back.
        // The host waits for the CA folder's lock in its certificates phase: holding it keeps the stacks coming up until
        // up has taken the interrupt. (Interrupting at "… network" raced: the host is ready some 0.4 s later, and on a
        // busy machine the signal could come after that, when up takes the foreground path and exits 0.)
        var template = _cli.WriteFile("stack.yaml", Template);
        using var caLock = HoldCertificateAuthorityLock();
        using var up = _cli.Start("up", "--region", "eu-central-1", template);
        await ReadUntilAsync(up, "… certificates");

        await CliProcess.SignalAsync(up, "INT");
        var interrupted = await ReadUntilAsync(up, "Interrupted: tearing down");
        caLock.Dispose();
        var (exitCode, _, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.True(interrupted, "up did not say it was interrupted.");
        Assert.Equal(130, exitCode);
        Assert.Contains("cloister up: interrupted; nothing was left running.", error, StringComparison.Ordinal);
        Assert.Empty(await _cli.LeftoversAsync());
        var status = await _cli.RunAsync("status");
        Assert.Equal(CliApplication.NotRunningExitCode, status.ExitCode);
        Assert.Contains("no stacks are running", status.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_InterruptedWhileAskingTheReadyStatus_TearsDown()
    {
        // Before, Ctrl-C after the host said ready but before its status came back (up asks for it to print the Outputs)
        // cancelled that request: up ended with an exception and left the stacks running. The test stands between up and
        // the host's control socket and holds the status request until up has had the signal (or has ended).
        var template = _cli.WriteFile("stack.yaml", Template);
        var hostSocket = _cli.State.ControlSocket + ".host";
        using var caLock = HoldCertificateAuthorityLock();
        using var up = _cli.Start("up", "--region", "eu-central-1", template);
        await ReadUntilAsync(up, "… certificates");
        File.Move(_cli.State.ControlSocket, hostSocket);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_cli.State.ControlSocket));
        listener.Listen(4);
        caLock.Dispose();

        var relay = RelayAsync(listener, hostSocket, async () =>
        {
            await CliProcess.SignalAsync(up, "INT");
            try
            {
                await up.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (TimeoutException)
            {
                // Up still waits for the answer, as it should.
            }
        });
        var (exitCode, output, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");
        File.Delete(hostSocket);

        Assert.True(exitCode == 0, $"exit {exitCode}: {output}{error}");
        Assert.Contains("Tearing down", output, StringComparison.Ordinal);
        Assert.Empty(await _cli.LeftoversAsync());
        Assert.False(relay.IsFaulted, relay.Exception?.ToString());
    }

    [Fact(Timeout = 300_000)]
    public async Task Status_WhileComingUp_SaysTheStacksAreComingUp()
    {
        // Before, status (and outputs, through the same StackChannel.ReadyStatusAsync) said no stacks were running and
        // to start them with cloister up, which then refused because they were coming up. The held CA lock keeps the
        // host coming up for as long as the test needs (six VPCs did before, for a second or so, which raced).
        var template = _cli.WriteFile("stack.yaml", Template);
        using var caLock = HoldCertificateAuthorityLock();
        using var up = _cli.Start("up", "--detach", "--region", "eu-central-1", template);
        await ReadUntilAsync(up, "… certificates");

        var status = await _cli.RunAsync("status");
        caLock.Dispose();
        var upResult = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.True(upResult.ExitCode == 0, upResult.Error);
        Assert.Equal(CliApplication.NotRunningExitCode, status.ExitCode);
        Assert.Contains($"the stacks in {_cli.State.Root} are still coming up; wait for ./cloister up to say ready.", status.Error, StringComparison.Ordinal);
        var ready = await _cli.RunAsync("status");
        Assert.True(ready.ExitCode == 0, ready.Error);
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_FolderWithoutTemplateYaml_SaysWhatToGiveAndCreatesNothing()
    {
        // Before: "no such template file", about a path that exists. A folder with a template.yaml deploys it (StackTemplatesTests).
        var folder = Directory.CreateDirectory(Path.Combine(_cli.State.Root, "stack")).FullName;
        _cli.WriteFile("stack/vpc.yaml", Template);

        var (exitCode, _, error) = await _cli.RunAsync("up", "--detach", folder);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{folder}: a folder without a template.yaml (the file a folder stands for, as with sam deploy); give the template files in it (cloister up {Path.Combine(folder, "vpc.yaml")}).", error, StringComparison.Ordinal);
        Assert.Contains("nothing was created", error, StringComparison.Ordinal);
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_TwoAtOnce_OneComesUpAndTheOtherIsRefused()
    {
        // Before, both started a host on the same sandbox prefix, each removed the other's namespaces as leftovers, and
        // both failed with an ip or nsenter error.
        var template = _cli.WriteFile("stack.yaml", Template);
        string[] args = ["up", "--detach", "--region", "eu-central-1", template];
        using var first = _cli.Start(args);
        using var second = _cli.Start(args);

        var results = await Task.WhenAll(CliProcess.FinishAsync(first, TimeSpan.FromMinutes(4), args), CliProcess.FinishAsync(second, TimeSpan.FromMinutes(4), args));

        var winner = Assert.Single(results, r => r.ExitCode == 0);
        Assert.Contains("✓ ready", winner.Output, StringComparison.Ordinal);
        var loser = Assert.Single(results, r => r.ExitCode != 0);
        Assert.Equal(1, loser.ExitCode);
        Assert.Matches("^cloister up: (another cloister up is already bringing stacks up|stacks are already running) in ", loser.Error);
        var status = await _cli.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.Error);
        var down = await _cli.RunAsync("down");
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_InterruptedWhilePreparingCode_KillsTheToolsAndExits130()
    {
        // Before, Ctrl-C while dotnet publish or npm ran ended with an unhandled cancellation, and the tool with the
        // processes it had started went on without up. The install script stands for those: a shell that starts a
        // long-lived process and waits, writing the pids of npm, itself and its child.
        _cli.WriteFile("web/package.json", """
            { "name": "web", "version": "1.0.0", "scripts": { "install": "echo $PPID $$ > tree.pids; sleep 300 & echo $! >> tree.pids; wait" } }
            """);
        var template = _cli.WriteFile("stack.yaml", """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Web:
                Type: AWS::Serverless::Function
                Properties: { FunctionName: web, Runtime: nodejs20.x, Handler: index.handler, CodeUri: web/ }
            """);
        using var up = _cli.Start("up", "--region", "eu-central-1", template);
        var tree = await ProcessTree.WrittenAsync(Path.Combine(_cli.State.Root, "web", "tree.pids"), up);

        await CliProcess.SignalAsync(up, "INT");
        var (exitCode, output, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(1), "up");

        Assert.True(exitCode == 130, $"exit {exitCode}: {output}{error}");
        Assert.Equal("cloister up: interrupted; nothing was left running.", error.Trim());
        Assert.Equal(3, tree.Count);
        Assert.Empty(await ProcessTree.StillRunningAsync(tree));
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_DownFromAnotherTerminal_SaysStoppedByDownAndExits0()
    {
        // Before, the foreground up ended with exit 0 and said nothing, as if it had never been told.
        using var up = await StartInTheForegroundAsync();

        var down = await _cli.RunAsync("down");
        var (exitCode, output, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.True(down.ExitCode == 0, down.Error);
        Assert.True(exitCode == 0, $"exit {exitCode}: {output}{error}");
        Assert.Equal("Stopped by cloister down: the stacks were taken down; nothing is left running.", output.Trim());
        Assert.True(File.Exists(Cloister.Cli.Commands.LogTail.RunStartedPath(_cli.State)), "up did not record when its run began");
        Assert.Empty(error);
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_HostKilledInTheForeground_SaysItDiedAndRemovesWhatItLeft()
    {
        // Before, a killed host ended the foreground up with exit 0, no word, and its namespaces left behind.
        using var up = await StartInTheForegroundAsync();
        var hostPid = int.Parse(await File.ReadAllTextAsync(Cloister.Host.HostRunner.PidPath(_cli.State)), System.Globalization.CultureInfo.InvariantCulture);
        using (var host = System.Diagnostics.Process.GetProcessById(hostPid))
        {
            host.Kill();
        }

        var (exitCode, _, error) = await CliProcess.FinishAsync(up, TimeSpan.FromMinutes(2), "up");

        Assert.Equal(1, exitCode);
        Assert.Matches("^cloister up: the stack host ended with exit code [1-9][0-9]* \\(it crashed or was killed\\); see .*host\\.log\\. What it left was removed\\.", error);
        Assert.Empty(await _cli.LeftoversAsync());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Up_EmptyRegion_RefusedBeforeAnythingIsCreated(string region)
    {
        // Before, an empty --region was taken as the region: ARNs with an empty region and service names such as
        // "dynamodb..amazonaws.com".
        await RefusedBeforeAnythingIsCreatedAsync(
            region,
            $"cloister up: --region '{region}' is no region; give one such as eu-central-1, or leave --region out (then AWS_REGION, AWS_DEFAULT_REGION, else us-east-1). Nothing was created.");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("12345")]
    [InlineData("12345678901x")]
    [InlineData("1234567890123")]
    public async Task Up_AccountIdNotTwelveDigits_RefusedBeforeAnythingIsCreated(string accountId)
    {
        _cli.Environment["CLOISTER_ACCOUNT_ID"] = accountId;

        await RefusedBeforeAnythingIsCreatedAsync(
            "eu-central-1",
            $"cloister up: CLOISTER_ACCOUNT_ID '{accountId}' is not an account id: an account id is exactly 12 digits, such as 123456789012; unset it (or leave it empty) for 000000000000. Nothing was created.");
    }

    [Fact(Timeout = 300_000)]
    public async Task Up_AccountIdSet_OutputsArnsTableStoreAndRecordInThatAccount()
    {
        // Before, up ignored CLOISTER_ACCOUNT_ID (serve dynamodb took it): every stack was account 000000000000, so a
        // template naming its own account (a resource policy, a role ARN) named another one.
        _cli.Environment["CLOISTER_ACCOUNT_ID"] = "123456789012";
        var template = _cli.WriteFile("stack.yaml", """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Items: { Type: AWS::DynamoDB::Table, Properties: { TableName: items, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] } }
              EchoRole:
                Type: AWS::IAM::Role
                Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] } }
              Echo: { Type: AWS::Lambda::Function, Properties: { FunctionName: echo, Runtime: python3.12, Handler: index.handler, Role: !GetAtt EchoRole.Arn, Code: { ZipFile: "def handler(event, context):\n    return event\n" } } }
            Outputs:
              Account: { Value: !Ref AWS::AccountId }
              TableArn: { Value: !GetAtt Items.Arn }
              FunctionArn: { Value: !GetAtt Echo.Arn }
              RoleArn: { Value: !GetAtt EchoRole.Arn }
              StackId: { Value: !Ref AWS::StackId }
            """);

        var up = await _cli.RunAsync("up", "--detach", "--region", "eu-central-1", template);
        var outputs = await _cli.RunAsync("outputs", "--json");

        Assert.True(up.ExitCode == 0, up.Output + up.Error);
        Assert.True(outputs.ExitCode == 0, outputs.Error);
        var values = JsonDocument.Parse(outputs.Output).RootElement.GetProperty("Stacks")[0].GetProperty("Outputs").EnumerateArray()
            .ToDictionary(o => o.GetProperty("OutputKey").GetString()!, o => o.GetProperty("OutputValue").GetString()!);
        Assert.Equal("123456789012", values["Account"]);
        Assert.Equal("arn:aws:dynamodb:eu-central-1:123456789012:table/items", values["TableArn"]);
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:function:echo", values["FunctionArn"]);
        Assert.StartsWith("arn:aws:iam::123456789012:role/", values["RoleArn"], StringComparison.Ordinal);
        Assert.StartsWith("arn:aws:cloudformation:eu-central-1:123456789012:stack/stack/", values["StackId"], StringComparison.Ordinal);
        Assert.True(TableStoreFiles.Holds(_cli.State.TablesOf(new AccountContext("123456789012", "eu-central-1"))), "no table store in tables/123456789012/eu-central-1");
        Assert.False(Directory.Exists(_cli.State.TablesOf(new AccountContext(AccountContext.DefaultAccountId, "eu-central-1"))), "a table store of account 000000000000");
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.State.Root, "last-deployment.json")));
        Assert.Equal("123456789012", record.RootElement.GetProperty("model").GetProperty("account").GetProperty("accountId").GetString());
        var sent = JsonSerializer.Deserialize(await File.ReadAllTextAsync(HostRunner.RequestPath(_cli.State)), HostJson.Default.DeployRequest)!;
        Assert.Equal("123456789012", sent.AccountId);
    }

    /// <summary><c>up --detach --region REGION</c> of the small stack refused with <paramref name="refusal"/> alone, nothing of the stacks created.</summary>
    private async Task RefusedBeforeAnythingIsCreatedAsync(string region, string refusal)
    {
        var template = _cli.WriteFile("stack.yaml", Template);

        var (exitCode, output, error) = await _cli.RunAsync("up", "--detach", "--region", region, template);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Equal(refusal, error.TrimEnd('\n'));
        Assert.Empty(await _cli.LeftoversAsync());
        Assert.False(Directory.Exists(_cli.State.Runtime), "up created the runtime folder");
        Assert.False(Directory.Exists(_cli.State.Tables), "up created the tables folder");
    }

    /// <summary>Starts a foreground <c>up</c> of the small stack and reads its output until it says it is up.</summary>
    private async Task<System.Diagnostics.Process> StartInTheForegroundAsync()
    {
        var up = _cli.Start("up", "--region", "eu-central-1", _cli.WriteFile("stack.yaml", Template));
        Assert.True(await ReadUntilAsync(up, "Up in"), "up did not come up");
        return up;
    }

    /// <summary>
    /// Takes the lock of the state's CA folder (ca/ca.lock, an exclusive flock every process using the folder takes):
    /// a host bringing stacks up waits for it in its certificates phase, so they stay coming up until it is disposed.
    /// </summary>
    private FileStream HoldCertificateAuthorityLock()
    {
        Directory.CreateDirectory(_cli.State.CertificateAuthority);
        return new FileStream(Path.Combine(_cli.State.CertificateAuthority, "ca.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>
    /// Relays each connection to <paramref name="listener"/> to <paramref name="target"/>, one request line and its answer;
    /// before the first <c>status</c> request is passed on, runs <paramref name="beforeStatus"/>.
    /// </summary>
    private static async Task RelayAsync(Socket listener, string target, Func<Task> beforeStatus)
    {
        var held = false;
        while (true)
        {
            using var client = await listener.AcceptAsync();
            using var clientStream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(clientStream);
            var request = await reader.ReadLineAsync() ?? string.Empty;
            if (!held && request.Contains("\"status\"", StringComparison.Ordinal))
            {
                held = true;
                await beforeStatus();
            }

            using var host = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await host.ConnectAsync(new UnixDomainSocketEndPoint(target));
            using var hostStream = new NetworkStream(host, ownsSocket: false);
            await hostStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(request + "\n"));
            using var hostReader = new StreamReader(hostStream);
            var answer = await hostReader.ReadLineAsync();
            try
            {
                await clientStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(answer + "\n"));
            }
            catch (IOException)
            {
                // Up went away without waiting for the answer.
            }
        }
    }

    /// <summary>Reads <paramref name="process"/>'s output up to a line containing <paramref name="text"/>; false when it ends first.</summary>
    private static async Task<bool> ReadUntilAsync(System.Diagnostics.Process process, string text)
    {
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
