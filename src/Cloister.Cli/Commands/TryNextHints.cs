using System.Collections.Immutable;
using Cloister.Dns.Resolution;
using Cloister.Host.Status;
using Cloister.Model;
using Cloister.Model.Api;
using Cloister.Model.Network;
using Cloister.Network.Addressing;

namespace Cloister.Cli.Commands;

/// <summary>
/// The "Try next" block <c>cloister up</c> prints: commands that work as printed against the stacks just deployed.
/// The target is the first https Output (an API's URL), else an interface endpoint's DNS name; the client is an
/// instance or on-premises host (never a load balancer's target, which is a server) that has a path to it, preferring
/// one in another VPC or subnet than the address it reaches, so <c>dig</c>, <c>curl</c> (with the parameters the
/// method declares required, <see cref="ApiCurl"/>) and <c>path</c> show the
/// resolvers, routes and security groups in between. When no host reaches the target, the path analysis is offered
/// to show what blocks it; when there is no host at all, the function itself.
/// </summary>
internal static class TryNextHints
{
    private const string HealthNote = "answers GET / with its health, as DynamoDB does";

    /// <summary>The hints for <paramref name="status"/>.</summary>
    /// <param name="status">The running stacks.</param>
    /// <param name="model">The deployed model (APIs, endpoints, subnets, logs); null when it cannot be read.</param>
    /// <param name="probe">For a host, a target name and a port: where the name resolves there and whether a path reaches it; null when it does not resolve.</param>
    /// <param name="detached">Whether <c>up</c> returns (so <c>cloister down</c> ends it) or waits for Ctrl-C.</param>
    public static ImmutableArray<TryNextHint> For(StackStatus status, CloudModel? model, Func<HostInfo, string, int, PathProbe?> probe, bool detached)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(probe);
        var hints = ImmutableArray.CreateBuilder<TryNextHint>();
        var target = UrlTarget(status, model) ?? EndpointTarget(status, model);
        var servers = status.Targets.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var clients = status.Hosts.Where(h => h.Kind is "Instance" or "OnPremisesHost" && !servers.Contains(h.Address)).ToList();
        var (asked, requested) = (false, false);
        if (target is not null && clients.Count == 0)
        {
            hints.Add(new TryNextHint(string.Empty, $"no instance or on-premises host in these stacks can call {target.Name}"));
        }
        else if (target is not null)
        {
            (asked, requested) = AddClientHints(hints, status, model, target, clients, probe);
        }

        AddLogHints(hints, status, model, target, asked, requested);
        hints.Add(new TryNextHint("./cloister status   ./cloister outputs"));
        hints.Add(detached ? new TryNextHint("./cloister down", "tears everything down") : new TryNextHint("Ctrl-C", "tears everything down"));
        return hints.ToImmutable();
    }

    /// <summary>Adds dig, curl and path from the best client; returns whether a DNS query and a request were suggested.</summary>
    private static (bool Asked, bool Requested) AddClientHints(
        ImmutableArray<TryNextHint>.Builder hints, StackStatus status, CloudModel? model, Target target, List<HostInfo> clients, Func<HostInfo, string, int, PathProbe?> probe)
    {
        var probed = clients.Select((host, order) => (Host: host, Order: order, Probe: probe(host, target.Name, target.Port))).ToList();
        var best = probed.Where(p => p.Probe is { Reaches: true })
            .OrderByDescending(p => Separation(model, p.Host, p.Probe!.Address))
            .ThenBy(p => p.Order)
            .FirstOrDefault();
        if (best.Host is null)
        {
            var resolving = probed.FirstOrDefault(p => p.Probe is not null);
            hints.Add(resolving.Host is null
                ? new TryNextHint($"./cloister exec --from {clients[0].Name} -- dig +short {target.Name}", $"no host here resolves {target.Name}")
                : new TryNextHint($"./cloister path --from {resolving.Host.Name} --to {target.Name}:{target.Port}", "no host here reaches it; this shows what blocks it"));
            return (resolving.Host is null, false);
        }

        var from = $"./cloister exec --from {best.Host.Name} --";
        var asked = !Ipv4Cidr.TryParseAddress(target.Name, out _);
        if (asked)
        {
            hints.Add(new TryNextHint($"{from} dig +short {target.Name}"));
        }

        var requested = false;
        if (target.Curl is { } curl)
        {
            hints.Add(new TryNextHint($"{from} {curl}", target.CurlNote));
            requested = true;
        }
        else if (target.CurlNote is { } why)
        {
            hints.Add(new TryNextHint(string.Empty, why));
        }

        var pathTarget = OtherSubnetName(status, model, target, best.Host, probe) ?? $"{target.Name}:{target.Port}";
        hints.Add(new TryNextHint($"./cloister path --from {best.Host.Name} --to {pathTarget}"));
        return (asked, requested);
    }

    /// <summary>Adds the logs the suggested commands write (access, execution and DNS query logs only once something was asked), and the function to run.</summary>
    private static void AddLogHints(ImmutableArray<TryNextHint>.Builder hints, StackStatus status, CloudModel? model, Target? target, bool asked, bool requested)
    {
        if (requested && model is not null && model.Stages.Any(s => s.AccessLog is not null))
        {
            hints.Add(new TryNextHint("./cloister logs access"));
        }

        if (requested && model is not null && model.Stages.Any(s => s.MethodSettings.Any(m => m.WritesExecutionLogs)))
        {
            hints.Add(new TryNextHint("./cloister logs execution"));
        }

        if (asked && model is not null && model.QueryLogConfigs.Length > 0)
        {
            hints.Add(new TryNextHint("./cloister logs dns"));
        }

        var called = requested ? target?.Function : null;
        var function = called ?? status.Functions.Select(f => f.FunctionName).FirstOrDefault();
        if (function is null)
        {
            return;
        }

        if (called is null)
        {
            hints.Add(new TryNextHint($"./cloister invoke {function}"));
        }

        hints.Add(new TryNextHint($"./cloister logs function {function}"));
    }

    private static Target? UrlTarget(StackStatus status, CloudModel? model)
    {
        foreach (var output in status.Stacks.SelectMany(s => s.Outputs))
        {
            if (!Uri.TryCreate(output.OutputValue, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            {
                continue;
            }

            var route = model is null ? null : ApiRoute.Find(model, url);
            if (route?.Resource is { } resource && route.Method is null)
            {
                return ResourceWithoutGet(model!, route, resource, url, output.OutputValue);
            }

            return Call(model, route, route?.Method, url, output.OutputValue, null);
        }

        return null;
    }

    /// <summary>A request to <paramref name="method"/> (null: a plain GET), with the stage's API key when it needs one.</summary>
    private static Target Call(CloudModel? model, ApiRoute? route, ApiMethod? method, Uri url, string urlText, string? note)
    {
        var key = method is { ApiKeyRequired: true } ? ApiRoute.KeyFor(model!, route!.Api.Id, route.Stage) : null;
        var why = method is { ApiKeyRequired: true } && key is null ? "the method needs an API key and no usage plan of this stage has one" : note;
        return new Target(url.Host, url.Port, ApiCurl.For(urlText, method, key), why, route is null ? null : (route with { Method = method }).Function(model!));
    }

    /// <summary>
    /// A URL that names a resource without a GET method gets API Gateway's 403 "Missing Authentication Token": its POST
    /// is called instead (a collection that only creates), else the route below it that answers GET is named.
    /// </summary>
    private static Target ResourceWithoutGet(CloudModel model, ApiRoute route, ApiResource resource, Uri url, string urlText)
    {
        if (resource.Methods.FirstOrDefault(m => m.HttpMethod == "POST") is { } post)
        {
            return Call(model, route, post, url, urlText, $"{resource.Path} has no GET method; this POSTs an empty JSON object to it");
        }

        var below = route.Api.Resources.FirstOrDefault(r => r.ParentId == resource.Id && r.PathPart.EndsWith("+}", StringComparison.Ordinal) && ApiRoute.Gettable(r) is not null);
        var method = below is null ? null : ApiRoute.Gettable(below)!;
        var belowKey = method is { ApiKeyRequired: true } ? ApiRoute.KeyFor(model, route.Api.Id, route.Stage) : null;
        var why = below is null
            ? $"{resource.Path} has no GET method on {route.Api.Id}"
            : $"{resource.Path} has no GET method; {method!.HttpMethod} {below.Path} answers the paths below {urlText}{(belowKey is null ? string.Empty : $", with the header 'x-api-key: {belowKey}'")}";
        return new Target(url.Host, url.Port, null, why, null);
    }

    private static Target? EndpointTarget(StackStatus status, CloudModel? model)
    {
        if (model?.VpcEndpoints.FirstOrDefault(e => e.Type == VpcEndpointType.Interface && e.NetworkInterfaces.Length > 0) is { } endpoint)
        {
            var name = VpcEndpointDnsNames.RegionalName(endpoint, status.Region, model.Account.UrlSuffix);
            var curl = endpoint.ServiceShortName == "dynamodb" ? $"curl -s https://{name}/" : null;
            return new Target(name, 443, curl, curl is null ? null : HealthNote, null) { Endpoint = endpoint };
        }

        // Without the model, an endpoint's network interface is still a real target.
        return status.Hosts.FirstOrDefault(h => h.Kind == "EndpointInterface") is { } eni ? new Target(eni.Address, 443, null, null, null) : null;
    }

    /// <summary>
    /// For an interface endpoint, its zonal name in a subnet other than the client's (a path across subnets) when the
    /// client reaches it; null to use the target itself.
    /// </summary>
    private static string? OtherSubnetName(StackStatus status, CloudModel? model, Target target, HostInfo client, Func<HostInfo, string, int, PathProbe?> probe)
    {
        if (target.Endpoint is not { } endpoint || model is null)
        {
            return null;
        }

        var own = SubnetOf(model, client.Network, client.Address);
        foreach (var eni in endpoint.NetworkInterfaces.Where(n => n.SubnetId != own?.Id))
        {
            var subnet = model.Subnets.FirstOrDefault(s => s.Id == eni.SubnetId);
            if (subnet is null)
            {
                continue;
            }

            var zonal = VpcEndpointDnsNames.ZonalName(endpoint, subnet.AvailabilityZone, status.Region, model.Account.UrlSuffix);
            if (probe(client, zonal, target.Port) is { Reaches: true })
            {
                return $"{zonal}:{target.Port}";
            }
        }

        return null;
    }

    /// <summary>2 when the address is in another VPC or network than the host, 1 in another subnet of its VPC, 0 in its own subnet.</summary>
    private static int Separation(CloudModel? model, HostInfo host, string address)
    {
        if (model is null)
        {
            return 0;
        }

        var targetSubnet = SubnetOf(model, host.Network, address);
        if (targetSubnet is null)
        {
            return 2;
        }

        return SubnetOf(model, host.Network, host.Address)?.Id == targetSubnet.Id ? 0 : 1;
    }

    private static Subnet? SubnetOf(CloudModel model, string? vpcId, string address) =>
        model.Subnets.FirstOrDefault(s => s.VpcId == vpcId && Ipv4Cidr.ParseOrNull(s.CidrBlock) is { } cidr && cidr.Contains(address));

    /// <summary>What to try: a name and port, the request to send (null for none), why, and the function it runs.</summary>
    private sealed record Target(string Name, int Port, string? Curl, string? CurlNote, string? Function)
    {
        /// <summary>The interface endpoint the name belongs to, when the target is one.</summary>
        public VpcEndpoint? Endpoint { get; init; }
    }
}
