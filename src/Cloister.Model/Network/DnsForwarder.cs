using System.Collections.Immutable;

namespace Cloister.Model.Network;

/// <summary>A conditional forward of the corporate DNS server: queries under <paramref name="Domain"/> go to <paramref name="TargetIps"/>.</summary>
/// <param name="Domain">The domain, such as <c>execute-api.eu-central-1.amazonaws.com</c>.</param>
/// <param name="TargetIps">The servers to forward to, such as an inbound resolver endpoint's addresses.</param>
public sealed record DnsForwarder(string Domain, ImmutableArray<string> TargetIps);
