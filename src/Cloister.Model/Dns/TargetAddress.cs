namespace Cloister.Model.Dns;

/// <summary>A DNS server a FORWARD rule sends queries to.</summary>
/// <param name="Ip">Its address.</param>
/// <param name="Port">Its port, 53 unless given.</param>
public sealed record TargetAddress(string Ip, int Port = 53);
