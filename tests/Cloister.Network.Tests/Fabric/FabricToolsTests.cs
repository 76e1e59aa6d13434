using Cloister.Network.Realization;

namespace Cloister.Network.Tests.Fabric;

public sealed class FabricToolsTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("cloister-tools-").FullName;

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public void Missing_EveryProgramOnPath_NamesNone()
    {
        Install("ip", "nft", "nsenter", "unshare", "dnsmasq");

        Assert.Empty(FabricTools.Missing("/nonexistent:" + _bin, dnsServers: true));
    }

    [Fact]
    public void Missing_NftablesNotInstalled_NamesTheProgramAndItsPackage()
    {
        Install("ip", "nsenter", "unshare");

        var missing = FabricTools.Missing(_bin, dnsServers: false);

        Assert.Equal([("nft", "nftables")], missing);
    }

    [Fact]
    public void Missing_DnsmasqAbsentWithoutDnsServers_IsNotNeeded()
    {
        Install("ip", "nft", "nsenter", "unshare");

        Assert.Empty(FabricTools.Missing(_bin, dnsServers: false));
        Assert.Equal([("dnsmasq", "dnsmasq-base")], FabricTools.Missing(_bin, dnsServers: true));
    }

    [Fact]
    public void Missing_FileWithoutExecutePermission_CountsAsMissing()
    {
        Install("ip", "nsenter", "unshare");
        File.WriteAllText(Path.Combine(_bin, "nft"), "not a program");
        File.SetUnixFileMode(Path.Combine(_bin, "nft"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal([("nft", "nftables")], FabricTools.Missing(_bin, dnsServers: false));
    }

    private void Install(params string[] programs)
    {
        foreach (var program in programs)
        {
            var file = Path.Combine(_bin, program);
            File.WriteAllText(file, "#!/bin/sh\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
