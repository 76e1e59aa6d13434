namespace Cloister.Dns.Wire;

/// <summary>The data of a CNAME, NS or PTR record: one domain name.</summary>
/// <param name="Target">The name, in presentation form without the final dot.</param>
public sealed record NameRecordData(string Target) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) => writer.TryWriteName(Target);

    /// <inheritdoc/>
    public override string ToPresentation() => DnsName.WithFinalDot(Target);
}
