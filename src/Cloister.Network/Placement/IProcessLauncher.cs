using System.Diagnostics;

namespace Cloister.Network.Placement;

/// <summary>Starts processes inside the sandbox, the way Lambda places execution environments.</summary>
public interface IProcessLauncher
{
    /// <summary>
    /// Starts <paramref name="start"/> on the ENI that <paramref name="placement"/> selects, with that host's
    /// resolv.conf, host name and the sandbox CA bundle. Its standard streams are as <paramref name="start"/> says.
    /// </summary>
    PlacedProcess Start(ProcessPlacement placement, ProcessStartInfo start);
}
