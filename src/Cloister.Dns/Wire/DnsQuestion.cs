namespace Cloister.Dns.Wire;

/// <summary>One question: a name, a type and a class.</summary>
/// <param name="Name">The name as asked, case preserved, without the final dot.</param>
/// <param name="Type">The type asked for.</param>
/// <param name="Class">The class asked for.</param>
public sealed record DnsQuestion(string Name, DnsRecordType Type, DnsClass Class = DnsClass.IN);
