namespace Cloister.Cli.Tests.Commands;

/// <summary><c>cloister exec</c> and <c>path</c> on a running stack, by a function's name.</summary>
public sealed class ExecCommandTests : IAsyncLifetime
{
    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    [Fact(Timeout = 300_000)]
    public async Task Exec_FromFunctionOutsideAVpc_RunsWhereSuchFunctionsSend()
    {
        // The echo function has no VpcConfig: it sends from the one place of functions outside a VPC, which the
        // sandbox's own description now names by it (before, only the CLI's separate read of the model found it).
        var template = _cli.WriteFile("stack.yaml", SmallStack.Template);
        var up = await _cli.RunAsync("up", "--detach", "--region", "eu-central-1", template);
        Assert.True(up.ExitCode == 0, up.Output + up.Error);

        var exec = await _cli.RunAsync("exec", "--from", "echo", "--", "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        var path = await _cli.RunAsync("path", "--from", "echo", "--to", "nosuch.invalid:80");

        Assert.True(exec.ExitCode == 0, exec.Error);
        Assert.Contains(" 198.19.254.10/", exec.Output, StringComparison.Ordinal);
        Assert.Equal(2, path.ExitCode);
        Assert.Equal("cloister path: --to 'nosuch.invalid:80': 'nosuch.invalid' is no host, address or name that --from 'echo' can resolve.", path.Error.Trim());
    }
}
