using System.Diagnostics;
using Cloister.Network.Topology;

namespace Cloister.Network.Placement;

/// <summary>A process started on a host of the sandbox, with the host whose address it uses.</summary>
/// <param name="Process">The process; the caller owns it (kill and dispose it).</param>
/// <param name="Host">The host (ENI) the process runs on.</param>
public sealed record PlacedProcess(Process Process, HostPlan Host);
