using Cloister.Model.Network;

namespace Cloister.Templates.Mapping;

/// <summary>
/// EC2 host name options: a subnet's <c>PrivateDnsNameOptionsOnLaunch</c> and an instance's <c>PrivateDnsNameOptions</c>,
/// each field of which the instance inherits from its subnet when it leaves it out, as RunInstances does.
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>The options <paramref name="property"/> gives, each field left out taken from <paramref name="inherited"/>.</summary>
    private static PrivateDnsNameOptions HostNameOptions(PropertyReader r, string property, PrivateDnsNameOptions inherited)
    {
        if (r.Map(property) is not { } options)
        {
            return inherited;
        }

        var type = inherited.HostnameType;
        var path = property + ".HostnameType";
        if (r.String(options, "HostnameType", path) is { } text && !PrivateDnsNameOptions.TryParseHostnameType(text, out type))
        {
            r.Problem(path, $"'{text}' is not one of {string.Join(", ", PrivateDnsNameOptions.HostnameTypeValues)}.");
            type = inherited.HostnameType;
        }

        return new PrivateDnsNameOptions(
            type,
            r.Bool(options, "EnableResourceNameDnsARecord", property + ".EnableResourceNameDnsARecord", inherited.EnableResourceNameDnsARecord),
            r.Bool(options, "EnableResourceNameDnsAAAARecord", property + ".EnableResourceNameDnsAAAARecord", inherited.EnableResourceNameDnsAAAARecord));
    }
}
