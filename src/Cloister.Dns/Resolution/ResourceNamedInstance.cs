using System.Net;

namespace Cloister.Dns.Resolution;

/// <summary>An instance whose resource name (<c>i-....{region}.compute.internal</c>) has a record enabled.</summary>
/// <param name="Address">Its private IPv4 address.</param>
/// <param name="ARecord">Whether A queries for the name are answered (EnableResourceNameDnsARecord); else only AAAA is enabled, and the name has no record Cloister can give.</param>
internal readonly record struct ResourceNamedInstance(IPAddress Address, bool ARecord);
