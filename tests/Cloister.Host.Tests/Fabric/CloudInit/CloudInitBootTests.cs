using System.Diagnostics;
using Cloister.Host.Fabric.CloudInit;

namespace Cloister.Host.Tests.Fabric.CloudInit;

/// <summary>The boot script run with <c>/bin/sh</c> as the instance runs it (here on this machine's own host).</summary>
public sealed class CloudInitBootTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloister-cloud-init-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Prepare_EveryModule_RunsInCloudInitsOrder()
    {
        var trace = Path.Combine(_folder, "out", "trace");
        var userData = $"""
            Content-Type: multipart/mixed; boundary="b"
            MIME-Version: 1.0

            --b
            Content-Type: text/x-shellscript

            #!/bin/sh
            echo "part sees $(cat {trace}.deferred)" >> {trace}
            --b
            Content-Type: text/cloud-config

            #cloud-config
            runcmd:
              - echo "runcmd $INSTANCE_ID" >> {trace}
              - [ sh, -c, "echo 'runcmd list' >> {trace}" ]
            packages: [httpd]
            write_files:
              - path: {trace}
                content: "write_files\n"
                append: true
              - path: {trace}.deferred
                content: deferred
                defer: true
              - path: {trace}.mode
                permissions: '0600'
                content: secret
            bootcmd:
              - mkdir -p {Path.GetDirectoryName(trace)} && echo "bootcmd $INSTANCE_ID" >> {trace}
            --b--
            """;

        var (code, output) = await RunAsync(userData, out var warnings);

        Assert.Equal(0, code);
        Assert.Equal(["bootcmd i-0123456789abcdef0", "write_files", "part sees deferred", "runcmd ", "runcmd list"], File.ReadAllLines(trace));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(trace + ".mode"));
        var packages = Assert.Single(warnings);
        Assert.StartsWith("package_update_upgrade_install: cannot update the package index, install httpd:", packages, StringComparison.Ordinal);
        Assert.Contains(CloudInitBoot.Prefix + packages, output, StringComparison.Ordinal);
        Assert.Matches(@"Cloister cloud-init: finished at \d{4}-", output);
    }

    [Fact]
    public async Task Prepare_FailingBootcmdAndUnknownModule_GoesOnAndExitsOne()
    {
        var marker = Path.Combine(_folder, "ran");
        var (code, output) = await RunAsync($"#cloud-config\nbootcmd: [\"exit 3\"]\nusers: [default]\nruncmd: [\"touch {marker}\"]\n", out var warnings);

        Assert.Equal(1, code);
        Assert.True(File.Exists(marker));
        Assert.Contains("Cloister cloud-init: bootcmd failed with exit status 3", output, StringComparison.Ordinal);
        Assert.Equal(["cloud-config modules not applied: users"], [.. warnings]);
        Assert.Contains("Cloister cloud-init: cloud-config modules not applied: users", output, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output)> RunAsync(string userData, out System.Collections.Immutable.ImmutableArray<string> warnings)
    {
        var entry = CloudInitBoot.Prepare(UserDataParts.Of(userData), "i-0123456789abcdef0", Path.Combine(_folder, "instance"), out warnings);
        return RunAsync(entry);
    }

    private static async Task<(int Code, string Output)> RunAsync(string entry)
    {
        var start = new ProcessStartInfo(entry) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
