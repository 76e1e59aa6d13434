using System.Globalization;
using System.Text;

namespace Cloister.Dns.Wire;

/// <summary>The data of a NAPTR record (RFC 3403). Its replacement is never compressed.</summary>
/// <param name="Order">Lower is processed first.</param>
/// <param name="Preference">Lower is preferred among equal orders.</param>
/// <param name="Flags">The flags string (<c>U</c>, <c>S</c>...).</param>
/// <param name="Services">The service parameters (<c>E2U+sip</c>).</param>
/// <param name="Regexp">The substitution expression.</param>
/// <param name="Replacement">The next name to look up; the root when the expression is used.</param>
public sealed record NaptrRecordData(ushort Order, ushort Preference, string Flags, string Services, string Regexp, string Replacement) : DnsRecordData
{
    internal override bool TryWrite(ref DnsWriter writer) =>
        writer.TryWriteUInt16(Order)
        && writer.TryWriteUInt16(Preference)
        && CharacterString.TryWrite(ref writer, Flags)
        && CharacterString.TryWrite(ref writer, Services)
        && CharacterString.TryWrite(ref writer, Regexp)
        && writer.TryWriteName(Replacement, compress: false);

    /// <inheritdoc/>
    public override string ToPresentation()
    {
        var builder = new StringBuilder();
        builder.Append(Order.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Preference.ToString(CultureInfo.InvariantCulture));
        foreach (var text in (ReadOnlySpan<string>)[Flags, Services, Regexp])
        {
            CharacterString.AppendQuoted(builder.Append(' '), text);
        }

        return builder.Append(' ').Append(DnsName.WithFinalDot(Replacement)).ToString();
    }
}
