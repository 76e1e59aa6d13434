using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Logging;

/// <summary>Writes query log entries as Route 53 Resolver writes them: one JSON object per line, fields in its order.</summary>
public static class QueryLogFormat
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The format version Route 53 writes.</summary>
    public const string Version = "1.100000";

    /// <summary>Writes <paramref name="entry"/> as one line of JSON (with the final newline) to <paramref name="output"/>.</summary>
    public static void Write(QueryLogEntry entry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteString("version"u8, Version);
            json.WriteString("account_id"u8, entry.AccountId);
            json.WriteString("region"u8, entry.Region);
            json.WriteString("vpc_id"u8, entry.VpcId);
            json.WriteString("query_timestamp"u8, entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("query_name"u8, DnsName.WithFinalDot(entry.QueryName));
            json.WriteString("query_type"u8, TypeName(entry.QueryType));
            json.WriteString("query_class"u8, ClassName(entry.QueryClass));
            json.WriteString("rcode"u8, entry.ExtendedResponseCode == 0 ? ResponseCodeName(entry.ResponseCode) : ExtendedResponseCodeName((entry.ExtendedResponseCode << 4) | (int)entry.ResponseCode));
            json.WriteStartArray("answers"u8);
            foreach (var answer in entry.Answers)
            {
                json.WriteStartObject();
                json.WriteString("Rdata"u8, answer.Data.ToPresentation());
                json.WriteString("Type"u8, TypeName(answer.Type));
                json.WriteString("Class"u8, ClassName(answer.Class));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("srcaddr"u8, entry.Source.Address.ToString());
            json.WriteString("srcport"u8, entry.Source.Port.ToString(CultureInfo.InvariantCulture));
            json.WriteString("transport"u8, entry.Transport);
            json.WriteStartObject("srcids"u8);
            if (entry.ResolverEndpointId is not null)
            {
                json.WriteString("resolver_endpoint"u8, entry.ResolverEndpointId);
                if (entry.NetworkInterfaceId is not null)
                {
                    json.WriteString("resolver_network_interface"u8, entry.NetworkInterfaceId);
                }
            }
            else
            {
                if (entry.InstanceId is not null)
                {
                    json.WriteString("instance"u8, entry.InstanceId);
                }

                // "The ID of the resolver endpoint that passes the DNS query to on-premises DNS servers."
                if (entry.OutboundEndpointId is not null)
                {
                    json.WriteString("resolver_endpoint"u8, entry.OutboundEndpointId);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>The mnemonic of a type (<c>A</c>, <c>TYPE300</c>).</summary>
    public static string TypeName(DnsRecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>The mnemonic of a class (<c>IN</c>, <c>CLASS7</c>).</summary>
    public static string ClassName(DnsClass dnsClass) =>
        Enum.IsDefined(dnsClass) ? dnsClass.ToString() : "CLASS" + ((ushort)dnsClass).ToString(CultureInfo.InvariantCulture);

    /// <summary>The mnemonic of a response code (<c>NOERROR</c>, <c>NXDOMAIN</c>).</summary>
    public static string ResponseCodeName(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NoError => "NOERROR",
        DnsResponseCode.FormErr => "FORMERR",
        DnsResponseCode.ServFail => "SERVFAIL",
        DnsResponseCode.NXDomain => "NXDOMAIN",
        DnsResponseCode.NotImp => "NOTIMP",
        DnsResponseCode.Refused => "REFUSED",
        _ => "RCODE" + ((int)code).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The IANA mnemonic of a 12-bit response code above 15: <c>BADVERS</c> for 16, the only one Cloister sends.</summary>
    private static string ExtendedResponseCodeName(int code) =>
        code == 16 ? "BADVERS" : "RCODE" + code.ToString(CultureInfo.InvariantCulture);
}
