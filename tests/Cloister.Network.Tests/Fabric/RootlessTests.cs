using System.Diagnostics;

namespace Cloister.Network.Tests.Fabric;

public sealed class RootlessTests
{
    [Fact]
    public async Task IsolationMatrix_AsUnprivilegedUserInUserNamespace_AgreesWithPathAnalysis()
    {
        // Unprivileged: uid/gid 65534 (nobody) when we are root; the user namespace gives it its own "root" there,
        // a private /run/netns, and a PID namespace so nothing it starts can outlive it.
        var inner = new List<string>
        {
            "unshare", "--user", "--map-root-user", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--",
            "/bin/sh", "-c", "mount -t tmpfs tmpfs /run/netns && exec \"$@\"", "rootless",
            "dotnet", "exec", typeof(RootlessRunner).Assembly.Location, RootlessRunner.Verb,
        };
        var argv = IsRoot()
            ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", .. inner]
            : inner;
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        var text = await output + await error;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("rootless=True", text, StringComparison.Ordinal);
        Assert.Contains("mismatches=0", text, StringComparison.Ordinal);
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
