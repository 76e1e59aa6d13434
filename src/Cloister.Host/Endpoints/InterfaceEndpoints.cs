using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network;
using Cloister.Network.Topology;

namespace Cloister.Host.Endpoints;

/// <summary>
/// The interface VPC endpoints Cloister serves (execute-api on the gateway, dynamodb on the table service, lambda on the
/// Invoke API, sts on the sandbox's STS, logs on its CloudWatch Logs, ssm on its Systems Manager, ssmmessages on the agents' control channels, ec2messages on the agents' message delivery), the addresses of their network interfaces, and the warnings for the endpoints
/// of every other service.
/// </summary>
internal static class InterfaceEndpoints
{
    /// <summary>The services whose interface endpoints answer: everything else only gets its network interfaces.</summary>
    public static readonly IReadOnlySet<string> Served = new HashSet<string>(["execute-api", "dynamodb", "lambda", "sts", "logs", "ssm", "ssmmessages", "ec2messages"], StringComparer.Ordinal);

    /// <summary>The model's interface endpoints of <paramref name="service"/> (its short name, such as <c>dynamodb</c>).</summary>
    public static IEnumerable<VpcEndpoint> Of(CloudModel model, string service) =>
        model.VpcEndpoints.Where(e => e.Type == VpcEndpointType.Interface && e.ServiceShortName == service);

    /// <summary>The addresses of the network interfaces the sandbox gave <paramref name="endpoint"/>.</summary>
    public static List<string> Addresses(Sandbox sandbox, VpcEndpoint endpoint) =>
        [.. sandbox.Hosts.Where(h => h.Kind == HostKind.EndpointInterface && h.OwnerId == endpoint.Id).Select(h => h.Address)];

    /// <summary>One warning per interface endpoint of a service Cloister does not serve: its interfaces exist, nothing answers on them.</summary>
    public static IEnumerable<string> UnservedWarnings(CloudModel model) =>
        model.VpcEndpoints
            .Where(e => e.Type == VpcEndpointType.Interface && !Served.Contains(e.ServiceShortName))
            .Select(e => $"{e.LogicalId} ({e.Id}) is an interface endpoint of {e.ServiceName}, which Cloister does not serve: its network interfaces exist but nothing answers on them (served: {string.Join(", ", Served.Order(StringComparer.Ordinal))})");
}
