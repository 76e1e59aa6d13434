using System.Diagnostics;

namespace Cloister.Network.Tests.Fabric;

public sealed class RootlessTests
{
    [Fact]
    public async Task IsolationMatrix_AsUnprivilegedUserInUserNamespace_AgreesWithPathAnalysis()
    {
        // Unprivileged: uid/gid 65534 (nobody) when we are root; the user namespace gives it its own "root" there,
        // a private /run/netns, and a PID namespace so nothing it starts can outlive it.
        var inner = RootlessSandbox.Argv(["dotnet", "exec", typeof(RootlessRunner).Assembly.Location, RootlessRunner.Verb]);
        string[] argv = IsRoot() ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", .. inner] : [.. inner];
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var lines = new System.Text.StringBuilder();
        string? execOutput = null;
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.AppendLine(line);
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                execOutput = await ExecFromOutsideAsync(line["READY ".Length..]);
                await process.StandardInput.WriteLineAsync();
                await process.StandardInput.FlushAsync();
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        var text = lines + await error;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("rootless=True", text, StringComparison.Ordinal);
        Assert.Contains("mismatches=0", text, StringComparison.Ordinal);
        Assert.Equal("ip-10-10-1-10.eu-central-1.compute.internal\neth0,lo,\n1 cloister-init\noverlayfs\noverlayfs\nwritten", execOutput?.Trim());
        Assert.False(File.Exists(Path.Combine("/tmp", WrittenName)), "the instance's write reached the machine");
    }

    private static readonly string WrittenName = "cloister-rootless-" + Guid.NewGuid().ToString("N");

    // 'cloister exec' from another process: enters the owner's user and mount namespaces, then the instance's init
    // (pid 1 of its own PID namespace) and root (overlays of the machine's folders, written on the instance's own), then
    // the host, whose sysfs it sees.
    private static async Task<string> ExecFromOutsideAsync(string runtime)
    {
        var sandbox = Cloister.Network.Runtime.RuntimeState.ReadDescription(runtime)!;
        Assert.True(sandbox.Rootless);
        var start = Cloister.Network.Runtime.HostCommand.StartInfo(sandbox, sandbox.FindHost("a1")!, ["sh", "-c", "hostname; ls /sys/class/net | tr '\\n' ,; echo; ps -o pid=,args= -p 1 | awk '{print $1, $NF}'; stat -f -c %T /etc /tmp; echo written > /tmp/" + WrittenName + "; cat /tmp/" + WrittenName]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output + error;
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
