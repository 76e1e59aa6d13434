using Cloister.Shared.Processes;

namespace Cloister.Network.Realization;

/// <summary>
/// The programs the fabric runs, and the Debian package each comes in: checked on <c>PATH</c> before anything is built,
/// so a machine without one is told which to install instead of failing half-way with "not found" from a shell.
/// </summary>
internal static class FabricTools
{
    private static readonly (string Program, string Package)[] Always = [("ip", "iproute2"), ("nft", "nftables"), ("nsenter", "util-linux"), ("unshare", "util-linux")];
    private static readonly (string Program, string Package) DnsServer = ("dnsmasq", "dnsmasq-base");

    /// <summary>The programs missing from <paramref name="path"/> (a <c>PATH</c> value), with their packages; dnsmasq only when <paramref name="dnsServers"/>.</summary>
    public static IReadOnlyList<(string Program, string Package)> Missing(string? path, bool dnsServers)
    {
        var needed = dnsServers ? [.. Always, DnsServer] : Always;
        return [.. needed.Where(tool => ExecutableSearch.Find(tool.Program, path) is null)];
    }

    /// <summary>Throws <see cref="FabricException"/> naming every missing program and its package.</summary>
    public static void Require(bool dnsServers)
    {
        var missing = Missing(Environment.GetEnvironmentVariable("PATH"), dnsServers);
        if (missing.Count > 0)
        {
            throw new FabricException(
                $"{string.Join(", ", missing.Select(m => m.Program))} not found on PATH; install the Debian package(s) "
                + $"{string.Join(' ', missing.Select(m => m.Package).Distinct())} (./cloister up installs them when they are missing).");
        }
    }
}
