using System.Collections.Immutable;
using System.Net;
using Cloister.Certificates;
using Cloister.Functions.Ssm;
using Cloister.Host.Ssm;
using Cloister.Host.Status;
using Cloister.Model.Network;
using Cloister.Network;
using Cloister.Network.Topology;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>The sandbox's Parameter Store, as the stack's callers reach it: its regional address and its interface endpoints.</summary>
public sealed partial class StackHost
{
    private SsmServer? _ssm;

    /// <summary>
    /// Serves Systems Manager's Parameter Store JSON API over HTTPS on <c>ssm.{region}.amazonaws.com</c> = 198.18.11.10
    /// (a certificate from the sandbox CA for the name and the address) and on every <c>ssm</c> interface endpoint's
    /// ENIs, and the agents' control channels on <c>ssmmessages.{region}.amazonaws.com</c> = 198.18.22.10 (the same
    /// certificate names both) and on every <c>ssmmessages</c> interface endpoint's ENIs, and the agents' message delivery on
    /// <c>ec2messages.{region}.amazonaws.com</c> = 198.18.23.10 and every <c>ec2messages</c> interface endpoint's ENIs. Its parameters are kept under <c>{state}/ssm</c>, so what callers put survives the next <c>up</c>; every
    /// <c>AWS::SSM::Parameter</c> of the templates is written first (a new version only when the template changed it).
    /// Callers are the stack's credentials, judged by their identity policies and by the policy of the <c>ssm</c>
    /// endpoint they came through.
    /// </summary>
    private async Task StartSsmAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var (address, name, https, endpointListeners) = ListenRegionally(sandbox, authority, "ssm", "ssm", "Parameter Store");
        var messagesListeners = ListenOnInterfaceEndpoints(sandbox, authority, "ssmmessages");
        var messagesAddress = IPAddress.Parse(RegionalServices.AddressOf("ssmmessages")!);
        var messagesName = RegionalServices.RegionalName("ssmmessages", _model.Account.Region, _model.Account.UrlSuffix);
        var messages = Own(sandbox.OpenTcpListener(messagesAddress, 443));
        var deliveryListeners = ListenOnInterfaceEndpoints(sandbox, authority, "ec2messages");
        var deliveryAddress = IPAddress.Parse(RegionalServices.AddressOf("ec2messages")!);
        var deliveryName = RegionalServices.RegionalName("ec2messages", _model.Account.Region, _model.Account.UrlSuffix);
        var delivery = Own(sandbox.OpenTcpListener(deliveryAddress, 443));
        var seeds = ParameterSeeds(_loaded?.Stacks ?? []);
        var server = await SsmServer.StartAsync(
            new SsmOptions
            {
                HttpsSocket = https,
                MessagesSocket = messages,
                DeliverySocket = delivery,
                EndpointListeners = [.. endpointListeners, .. messagesListeners, .. deliveryListeners],
                MessagesEndpointIds = messagesListeners.Select(l => l.VpcEndpointId).ToHashSet(StringComparer.Ordinal),
                DeliveryEndpointIds = deliveryListeners.Select(l => l.VpcEndpointId).ToHashSet(StringComparer.Ordinal),
                // One certificate for the three regional names and addresses, as the one server answers them all.
                Certificate = authority.Issue([name, messagesName, deliveryName], [address, messagesAddress, deliveryAddress]),
                Account = _model.Account,
                DataDirectory = Path.Combine(_state.Root, "ssm"),
                Seeds = seeds,
                // Run Command's Targets are resolved against the instances and their template tags (with CloudFormation's own).
                Instances = [.. _model.Instances.Select(i => new SsmInstance(i.Id, i.Tags.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)))],
                // The policies of the three services' endpoints: a call is judged by the one it came through.
                Access = StackAccess<SsmAccess>(sandbox, "ssm", "ssm", "ssmmessages", "ec2messages"),
                LoggerFactory = _loggers,
            },
            cancellationToken).ConfigureAwait(false);
        _owned.Add(server);
        _ssm = server;
        _services.Add(new ServiceInfo("ssm", [$"https://{name}", $"{address}:443"], "ok"));
        _services.Add(new ServiceInfo("ssmmessages", [$"https://{messagesName}", $"{messagesAddress}:443"], "ok"));
        _services.Add(new ServiceInfo("ec2messages", [$"https://{deliveryName}", $"{deliveryAddress}:443"], "ok"));
        Done("ssm", $"{seeds.Count} template parameter(s) on {name} and {endpointListeners.Count} interface endpoint address(es); control channels on {messagesName} and {messagesListeners.Count} ssmmessages endpoint address(es); message delivery on {deliveryName} and {deliveryListeners.Count} ec2messages endpoint address(es)");
    }

    /// <summary>
    /// Why Session Manager could not start a session on <paramref name="instanceId"/> now (its agent is not online, or
    /// has no control channel), as the console says it; null when it could.
    /// </summary>
    public string? SessionRefusal(string instanceId) =>
        _ssm is { } ssm ? ssm.SessionRefusal(instanceId) : $"SSM Agent is not online: Systems Manager is not running, so {instanceId} is not connected.";

    /// <summary>
    /// Starts amazon-ssm-agent on every instance, as AWS's AMIs run it from boot: each registers with Systems Manager
    /// over its instance's own network path with its instance profile's credentials, or logs why it cannot
    /// (<see cref="SsmAgent"/>). Their run commands' scripts live under <c>{state}/instances/{id}/ssm</c>.
    /// </summary>
    private void StartSsmAgents(Sandbox sandbox, SandboxCertificateAuthority authority)
    {
        var logger = _loggers.CreateLogger("Cloister.Host.SsmAgent");
        foreach (var instance in _model.Instances)
        {
            if (sandbox.Hosts.FirstOrDefault(h => h.Kind == HostKind.Instance && h.Id == instance.Id) is not { } host)
            {
                continue;
            }

            var runner = new ShellScriptRunner(sandbox.Description, host, Path.Combine(_state.Root, "instances", instance.Id, "ssm", "orchestration"));
            var agent = new SsmAgent(instance.Id, host.Address, host.Hostname, new InstanceConnections(sandbox, host, authority.Root), runner, _model.Account, SsmAgentTimings.Default, logger);
            _owned.Add(agent);
            agent.Start();
        }
    }

    /// <summary>
    /// A deployment's step for the templates' <c>AWS::SSM::Parameter</c> resources, from the running
    /// <paramref name="running"/> to <paramref name="stacks"/>: a new or changed one is written (a new version, as
    /// CloudFormation's PutParameter with Overwrite), a removed one deleted; one whose template did not change is left as
    /// callers last put it.
    /// </summary>
    private void ApplyParameters(ImmutableArray<StackSummary> running, ImmutableArray<StackSummary> stacks)
    {
        if (_ssm is not { } ssm)
        {
            return;
        }

        var before = ParameterSeeds(running).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var after = ParameterSeeds(stacks);
        ssm.UpdateTemplateParameters(
            after.Where(p => !before.TryGetValue(p.Name, out var old) || old != p),
            before.Keys.Where(name => !after.Any(p => p.Name == name)));
    }

    /// <summary>The <c>AWS::SSM::Parameter</c> resources of <paramref name="stacks"/>, named as Ref names them.</summary>
    private static List<ParameterSeed> ParameterSeeds(ImmutableArray<StackSummary> stacks) =>
        [.. stacks.SelectMany(s => s.Resources)
            .Where(r => r.ResourceType == "AWS::SSM::Parameter")
            .Select(r => new ParameterSeed(
                r.PhysicalResourceId,
                Property(r.PropertiesJson, "Type") ?? "String",
                Property(r.PropertiesJson, "Value") ?? string.Empty,
                Property(r.PropertiesJson, "Description"),
                Property(r.PropertiesJson, "Tier") is "Advanced" ? "Advanced" : null,
                Property(r.PropertiesJson, "AllowedPattern"),
                Property(r.PropertiesJson, "DataType")))];
}
