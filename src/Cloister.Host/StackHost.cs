using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cloister.Certificates;
using Cloister.Dns;
using Cloister.Dns.Resolution;
using Cloister.Functions;
using Cloister.Gateway;
using Cloister.Gateway.Domains;
using Cloister.Gateway.Lambda;
using Cloister.Host.Control;
using Cloister.Host.Endpoints;
using Cloister.Host.Fabric;
using Cloister.Host.Status;
using Cloister.Host.Tables;
using Cloister.Model;
using Cloister.Model.Network;
using Cloister.Network;
using Cloister.Network.LoadBalancing;
using Cloister.Network.Metadata;
using Cloister.Network.Topology;
using Cloister.Policy.Callers;
using Cloister.Tables.Access;
using Cloister.Tables.Hosting;
using Cloister.Templates;
using Microsoft.Extensions.Logging;

namespace Cloister.Host;

/// <summary>
/// Runs deployed stacks: loads the templates, builds the sandbox, then starts each module on its sandbox addresses —
/// the table service on the region's DynamoDB address and on every DynamoDB interface endpoint ENI, a resolver on every
/// VPC's <c>.2</c> and inbound endpoint, the functions as processes on their ENIs and Lambda's Invoke API on the region's
/// Lambda address and every Lambda interface endpoint ENI, the gateway on every execute-api endpoint ENI. Holds no
/// domain logic: each
/// step hands the model to the module that owns it. Disposing tears everything down in reverse order.
/// </summary>
public sealed partial class StackHost : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<Socket> _sockets = [];
    private readonly List<ServiceInfo> _services = [];
    private readonly List<EndpointPolicyTable> _endpointPolicies = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StatePaths _state;
    private readonly Action<DeployEvent> _report;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private TemplateLoadResult? _loaded;
    private CloudModel _model = new();
    private CallerDirectory? _callers;
    private Sandbox? _sandbox;
    private LambdaService? _functions;
    private LoadBalancerService? _balancers;
    private InstanceBoot? _boot;
    private long? _readyAfter;
    private string _stateName = "deploying";
    private int _disposed;

    private StackHost(StatePaths state, Action<DeployEvent> report, ILoggerFactory loggers)
    {
        _state = state;
        _report = report;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Cloister.Host");
    }

    /// <summary>The sandbox, once built.</summary>
    public Sandbox? Sandbox => _sandbox;

    /// <summary>Brings the stacks of <paramref name="request"/> up; reports each phase; throws <see cref="StackDeployException"/> with every problem when it cannot.</summary>
    public static async Task<StackHost> StartAsync(DeployRequest request, StatePaths state, Action<DeployEvent> report, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(loggers);
        var host = new StackHost(state, report, loggers);
        try
        {
            await host.DeployAsync(request, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task DeployAsync(DeployRequest request, CancellationToken cancellationToken)
    {
        var loaded = Phase("templates", "loading " + string.Join(", ", request.Templates.Select(t => Path.GetFileName(t.Path))), () => request.Load(_startedAt));
        if (!loaded.IsValid)
        {
            throw new StackDeployException("templates", loaded.Validation.Problems.Select(p => p.ToString()));
        }

        loaded = WithPreviousIds(request, loaded);
        _loaded = loaded;
        _model = WithPreparedCode(loaded.Model, request.PreparedCode);
        Done("templates", $"{loaded.Stacks.Length} stack(s), {loaded.Stacks.Sum(s => s.Resources.Length)} resources"
            + (_stacksKeptIds == 0 ? string.Empty : $"; the physical ids of the last deployment kept for {_stacksKeptIds} of them"));
        _callers = CallerDirectory.Build(_model);
        // Roles outside the templates were reported with the templates' warnings, at the property naming each.
        foreach (var warning in _callers.Warnings)
        {
            Report("iam", "warning", warning);
        }

        var authority = Phase("certificates", "sandbox CA", () => SandboxCertificateAuthority.LoadOrCreate(_state.CertificateAuthority));
        Done("certificates", authority.BundlePath);

        Started("network", $"{_model.Vpcs.Length} VPC(s), {_model.OnPremisesNetworks.Length} on-premises network(s)");
        Sandbox sandbox;
        try
        {
            sandbox = await Sandbox.StartAsync(_model, SandboxOptions.ForState(_state), _loggers.CreateLogger("Cloister.Network"), cancellationToken).ConfigureAwait(false);
        }
        catch (FabricException exception)
        {
            // What failed, said to the user as the fabric words it (a missing program, the command and its error), not a trace.
            throw new StackDeployException("network", [exception.Message], exception);
        }

        _sandbox = sandbox;
        _owned.Add(sandbox);
        Done("network", $"{sandbox.Hosts.Length} hosts in sandbox {sandbox.Prefix}");
        foreach (var warning in InterfaceEndpoints.UnservedWarnings(_model))
        {
            Report("network", "warning", warning);
        }

        BootInstances(sandbox);
        await StartTablesAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        var balancerNames = await StartLoadBalancersAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        StartDns(sandbox, balancerNames);
        await StartInstanceMetadataAsync(sandbox, cancellationToken).ConfigureAwait(false);
        await StartFunctionsAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        await StartInvokeApiAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        await StartStsAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        await StartLogsAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        await StartSsmAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        await StartGatewayAsync(sandbox, authority, cancellationToken).ConfigureAwait(false);
        StartSsmAgents(sandbox, authority);

        ReportFailedBoots();

        // Targets (the gateway on an endpoint's addresses, an instance's server) start after the load balancers: check them again now.
        _balancers?.CheckTargetsNow();
        RecordDeployment("up");
        _readyAfter = _clock.ElapsedMilliseconds;
        _stateName = "ready";
    }

    /// <summary>
    /// Reports that the stacks are ready, which the caller of <see cref="StartAsync"/> does once whatever answers for
    /// this host (the control socket) can reach it: <c>cloister up</c> asks for the status the moment it reads this.
    /// </summary>
    public void ReportReady() => Report("ready", "ready", $"up in {_readyAfter} ms");

    private void BootInstances(Sandbox sandbox)
    {
        var scripts = _model.Instances.Count(i => !string.IsNullOrEmpty(i.UserData));
        if (scripts == 0)
        {
            return;
        }

        Started("instances", $"{scripts} instance(s) with user data");
        var boot = InstanceBoot.Start(sandbox, _model.Instances, _state);
        _boot = boot;
        _owned.Add(boot);
        foreach (var skipped in boot.Skipped)
        {
            Report("instances", "warning", skipped);
        }

        Done("instances", boot.Instances.Count == 0
            ? "no user data script to run"
            : $"user data started on {string.Join(", ", boot.Instances.Select(i => $"{i.LogicalId} ({i.InstanceId})"))}; output in {Path.GetDirectoryName(InstanceBoot.LogPath(_state, "x"))}");
    }

    // A failed script does not fail the stack (an instance whose user data fails is still running on AWS); the
    // scripts that have already ended badly by now are reported, later endings only in their logs.
    private void ReportFailedBoots()
    {
        foreach (var booted in _boot?.Instances ?? [])
        {
            if (booted.ExitCode is { } code and not 0)
            {
                Report("instances", "warning", $"user data of {booted.LogicalId} ({booted.InstanceId}) exited with status {code}: {booted.LastLogLine()} (see {booted.LogPath})");
            }
        }
    }

    private async Task StartTablesAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var (address, name, https, endpointListeners) = ListenRegionally(sandbox, authority, "dynamodb", "tables", what: null);
        var http = Own(sandbox.OpenTcpListener(address, 80));
        var server = await TablesServer.StartAsync(
            new TablesServerOptions
            {
                DataDirectory = TablesFolder(),
                HttpsSocket = https,
                HttpSocket = http,
                EndpointListeners = endpointListeners,
                // Loopback of the host's own namespace: how the host itself provisions the template's tables.
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                Certificate = authority.Issue(TablesServiceNames.CertificateNames(_model.Account), [address]),
                Account = _model.Account,
                LoggerFactory = _loggers,
                Access = StackAccess<TablesAccess>(sandbox, "dynamodb", "tables"),
            },
            cancellationToken).ConfigureAwait(false);
        _owned.Add(server);
        var local = server.Urls.First(u => u.Scheme == "http" && u.Host == "127.0.0.1");
        _tablesUrl = local;
        await ProvisionRecordedTablesAsync(cancellationToken).ConfigureAwait(false);

        _services.Add(new ServiceInfo("dynamodb", [$"https://{name}", $"http://{name}", $"{address}:443"], "ok"));
        Done("tables", _model.Tables.Length == 0 ? "none" : $"{_model.Tables.Length} table(s): {string.Join(", ", _model.Tables.Select(t => t.TableName))}");
    }

    /// <summary>
    /// Reports <paramref name="module"/> started (<paramref name="what"/>, when given, on the name at the address) and
    /// opens what a regional service of the sandbox serves HTTPS on: 443 of its address in 198.18.0.0/15
    /// (<see cref="RegionalServices"/>), whose name in the stack's region is also returned, and 443 of its interface
    /// endpoints' network interfaces.
    /// </summary>
    private (IPAddress Address, string Name, Socket Https, List<InterfaceEndpointListener> EndpointListeners) ListenRegionally(
        Sandbox sandbox, SandboxCertificateAuthority authority, string service, string module, string? what)
    {
        var address = IPAddress.Parse(RegionalServices.AddressOf(service)!);
        var name = RegionalServices.RegionalName(service, _model.Account.Region, _model.Account.UrlSuffix);
        Started(module, what is null ? $"{name} at {address}" : $"{what} on {name} at {address}");
        var https = Own(sandbox.OpenTcpListener(address, 443));
        return (address, name, https, ListenOnInterfaceEndpoints(sandbox, authority, service));
    }

    /// <summary>
    /// HTTPS listeners on 443 on every network interface of the model's interface endpoints of <paramref name="service"/>,
    /// each opened inside its VPC's namespace with its endpoint's own certificate (the endpoint's names); each endpoint
    /// is listed among the services.
    /// </summary>
    private List<InterfaceEndpointListener> ListenOnInterfaceEndpoints(Sandbox sandbox, SandboxCertificateAuthority authority, string service)
    {
        var listeners = new List<InterfaceEndpointListener>();
        foreach (var endpoint in InterfaceEndpoints.Of(_model, service))
        {
            var certificate = authority.Issue(VpcEndpointDnsNames.CertificateNames(endpoint, _model));
            var addresses = InterfaceEndpoints.Addresses(sandbox, endpoint);
            listeners.AddRange(addresses.Select(a => new InterfaceEndpointListener(endpoint.Id, endpoint.VpcId, Own(sandbox.OpenTcpListener(IPAddress.Parse(a), 443)), certificate)));
            _services.Add(new ServiceInfo($"{service} {endpoint.LogicalId} ({endpoint.Id})", [$"https://{VpcEndpointDnsNames.RegionalName(endpoint, _model.Account.Region, _model.Account.UrlSuffix)}", .. addresses.Select(a => a + ":443")], "ok"));
        }

        return listeners;
    }

    /// <summary>
    /// How a regional service Cloister serves authorizes its callers in this stack: the callers of the stack's
    /// credentials (one directory, whose roles a deployment swaps), where the sandbox says a connection came from, and
    /// the policies of the VPC endpoints of <paramref name="service"/> and <paramref name="alsoServices"/> (a table a
    /// deployment swaps too).
    /// </summary>
    private TAccess StackAccess<TAccess>(Sandbox sandbox, string service, string phase, params string[] alsoServices)
        where TAccess : Cloister.Policy.ServiceAccess, new() =>
        new() { Callers = _callers!.Find, Origins = sandbox.OriginOf, EndpointPolicies = EndpointPolicies(phase, [service, .. alsoServices]) };

    /// <summary>
    /// The policies of the model's VPC endpoints of <paramref name="services"/>, gateway and interface alike (vpce id →
    /// policy), kept for deployments to swap; one that does not compile denies everything (and is reported in
    /// <paramref name="phase"/>). An endpoint without a policy is absent: AWS's default policy allows everything.
    /// </summary>
    private EndpointPolicyTable EndpointPolicies(string phase, string[] services)
    {
        var table = new EndpointPolicyTable(phase, services);
        table.Apply(_model, warning => Report(phase, "warning", warning));
        _endpointPolicies.Add(table);
        return table;
    }

    private async Task<Dictionary<string, IReadOnlyList<IPAddress>>> StartLoadBalancersAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        if (_model.LoadBalancers.IsEmpty)
        {
            return [];
        }

        Started("balancers", $"{_model.LoadBalancers.Length} load balancer(s)");
        var balancers = await LoadBalancerService.StartAsync(
            _model,
            sandbox,
            certificate => authority.Issue([certificate.DomainName, .. certificate.SubjectAlternativeNames]),
            _loggers,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _owned.Add(balancers);
        _balancers = balancers;
        foreach (var problem in balancers.Problems)
        {
            Report("balancers", "warning", problem);
        }

        foreach (var (name, addresses) in balancers.NodeAddresses)
        {
            _services.Add(new ServiceInfo($"load balancer {name}", [.. addresses.Select(a => a.ToString())], "ok"));
        }

        Done("balancers", string.Join(", ", _model.LoadBalancers.Select(b => b.Name)));
        return LoadBalancerDnsFailover.Names(balancers.NodeAddressesInService);
    }

    private void StartDns(Sandbox sandbox, Dictionary<string, IReadOnlyList<IPAddress>> balancerNames)
    {
        Started("dns", $"{_model.Vpcs.Length} resolver(s)");
        var dns = new DnsService(
            new DnsServiceOptions { State = _state, SocketFactory = new FabricDnsSocketFactory(sandbox), AdditionalNames = balancerNames },
            _loggers);
        _owned.Add(dns);
        _dns = dns;
        foreach (var skipped in dns.Apply(_model))
        {
            Report("dns", "warning", skipped);
        }

        foreach (var vpc in _model.Vpcs)
        {
            var address = DnsService.VpcResolverAddress(vpc.CidrBlock);
            // In the VPC's own router: two unpeered VPCs may share a block, and so the .2 address.
            var router = sandbox.RouterNamespaceOf(vpc.Id);
            dns.StartVpcResolver(vpc.Id, sandbox.OpenUdpSocketIn(router, address, 53), sandbox.OpenTcpListenerIn(router, address, 53));
            _services.Add(new ServiceInfo($"resolver {vpc.LogicalId} ({vpc.Id})", [$"{address}:53"], "ok"));
        }

        // 169.254.169.253 in every VPC: each router's listener answers a query with the view of its source's VPC.
        var linkLocal = DnsService.LinkLocalResolverAddress;
        foreach (var router in sandbox.VpcsByRouter())
        {
            dns.StartLinkLocalResolver(
                [.. router.Select(v => v.Id)],
                sandbox.OpenUdpSocketIn(router.Key, linkLocal, 53),
                sandbox.OpenTcpListenerIn(router.Key, linkLocal, 53));
            _services.Add(new ServiceInfo($"resolver {string.Join(", ", router.Select(v => v.LogicalId))} (link-local)", [$"{linkLocal}:53"], "ok"));
        }

        foreach (var inbound in dns.InboundEndpointAddresses)
        {
            // By VPC and address: unpeered VPCs may give their endpoints one address.
            var eni = sandbox.EniAt(inbound.VpcId, IPAddress.Parse(inbound.Address));
            dns.StartInboundEndpoint(inbound, sandbox.OpenUdpSocket(eni, 53), sandbox.OpenTcpListener(eni, 53));
            _services.Add(new ServiceInfo($"inbound resolver endpoint {inbound.Address} ({inbound.VpcId})", [$"{inbound.Address}:53"], "ok"));
        }

        var publicResolver = IPAddress.Parse(sandbox.Hosts.First(h => h.Kind == HostKind.PublicFunction).DnsServer);
        dns.StartPublicResolver(sandbox.OpenUdpSocket(publicResolver, 53), sandbox.OpenTcpListener(publicResolver, 53));
        if (_balancers is not null)
        {
            // A load balancer's name answers the nodes ELB's DNS failover keeps, as their targets' health changes.
            _owned.Add(LoadBalancerDnsFailover.Start(_balancers, dns, _model, _logger));
        }

        Done("dns", $"{_model.Vpcs.Length} VPC resolver(s), {dns.InboundEndpointAddresses.Count} inbound endpoint address(es)");
    }

    /// <summary>169.254.169.254 in every VPC router: instances' metadata, and their instance profile's (sandbox) credentials.</summary>
    private async Task StartInstanceMetadataAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        if (_model.Vpcs.IsEmpty)
        {
            return;
        }

        Started("metadata", "169.254.169.254");
        var metadata = await InstanceMetadataService.StartAsync(sandbox, _callers!.ForInstance, _loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        _owned.Add(metadata);
        _services.Add(new ServiceInfo("instance metadata (IMDSv2)", ["169.254.169.254:80"], "ok"));
        Done("metadata", $"{_model.Instances.Length} instance(s)");
    }

    private async Task StartFunctionsAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        Started("functions", $"{_model.Functions.Length} function(s)");
        var functions = new LambdaService(
            new FunctionsOptions { State = _state, Account = _model.Account, CaBundlePath = authority.BundlePath, Credentials = _callers!.ForFunction },
            new FabricProcessLauncher(sandbox),
            _loggers);
        _functions = functions;
        _owned.Add(functions);
        var problems = new List<string>();
        foreach (var function in _model.Functions)
        {
            // A stop during bring-up must not wait for provisioned environments' init (up to the provisioned init limit):
            // the host is disposed when this throws, and disposing the service stops the environments still in init.
            var result = await functions.DeployAsync(function).WaitAsync(cancellationToken).ConfigureAwait(false);
            problems.AddRange(result.Problems.Select(p => $"{function.LogicalId}: {p}"));
        }

        if (problems.Count > 0)
        {
            throw new StackDeployException("functions", problems);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _codeFingerprints = _model.Functions.ToDictionary(f => f.FunctionName, CodeFingerprint, StringComparer.Ordinal);
        Done("functions", string.Join(", ", _model.Functions.Select(f => $"{f.FunctionName} ({f.Runtime})")));
    }

    /// <summary>Whether <paramref name="model"/> has what the Region's API Gateway front end serves: a public REST API or a REGIONAL custom domain name.</summary>
    private static bool NeedsFrontEnd(CloudModel model) => model.RestApis.Any(IsPublic) || model.DomainNames.Any(IsRegional);

    private static bool IsPublic(Cloister.Model.Api.RestApi api) => api.EndpointType != Cloister.Model.Api.EndpointType.Private;

    private static bool IsRegional(Cloister.Model.Api.DomainName name) => name.RegionalDomainName is not null;

    /// <summary>
    /// Why deploying <paramref name="model"/> needs the sandbox rebuilt for the gateway: it has what the front end serves
    /// while the sandbox came up without the front end's listener, which is opened only then. Null when nothing is missing.
    /// </summary>
    private string? FrontEndRefusal(CloudModel model) =>
        NeedsFrontEnd(model) && !_frontEnd
            ? "API Gateway's regional front end (public REST APIs' default names, REGIONAL custom domain names): added; the sandbox " +
              "came up without it (the templates up ran had neither) and a running sandbox cannot open it: ./cloister down && ./cloister up"
            : null;

    private async Task StartGatewayAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var region = _model.Account.Region;
        var suffix = _model.Account.UrlSuffix;
        var endpoints = _model.VpcEndpoints
            .Where(e => e.Type == VpcEndpointType.Interface && e.ServiceName.EndsWith(".execute-api", StringComparison.Ordinal))
            .ToList();
        Started("gateway", $"{_model.RestApis.Length} API(s) on {endpoints.Count} execute-api endpoint(s)");
        var listeners = new List<GatewayListener>();
        foreach (var endpoint in endpoints)
        {
            var addresses = InterfaceEndpoints.Addresses(sandbox, endpoint);
            foreach (var address in addresses)
            {
                var socket = Own(sandbox.OpenTcpListener(IPAddress.Parse(address), 443));
                listeners.Add(new GatewayListener(endpoint.Id, endpoint.VpcId, null, (ulong)socket.Handle));
            }

            _services.Add(new ServiceInfo($"execute-api {endpoint.LogicalId} ({endpoint.Id})", [.. addresses.Select(a => a + ":443")], "ok"));
        }

        // The Region's front end, where public DNS sends a public (REGIONAL or EDGE) API's default name and a REGIONAL
        // custom domain name's d-… name (docs/gateway.md, "Default execute-api names of public APIs", "Regional custom
        // domain names"): opened when the templates have either, reached as the region's other services are.
        if (NeedsFrontEnd(_model))
        {
            var publicApis = _model.RestApis.Count(IsPublic);
            var regionalNames = _model.DomainNames.Count(IsRegional);
            var regional = RegionalServices.AddressOf("execute-api")!;
            var socket = Own(sandbox.OpenTcpListener(IPAddress.Parse(regional), 443));
            listeners.Add(GatewayListener.Regional(null, (ulong)socket.Handle));
            _frontEnd = true;
            _services.Add(new ServiceInfo($"execute-api front end ({publicApis} public API(s), {regionalNames} regional custom domain name(s))", [regional + ":443"], "ok"));
        }

        if (listeners.Count == 0)
        {
            Done("gateway", "no execute-api interface endpoint, public API or regional custom domain name: the gateway is not started");
            return;
        }

        var gateway = await GatewayServer.StartAsync(
            new GatewayOptions
            {
                Certificate = authority.Issue([$"*.execute-api.{region}.{suffix}", $"*.execute-api.{region}.vpce.{suffix}"]),
                Listeners = [.. listeners],
                Lambda = new FunctionsLambdaInvoker(_functions!),
                VpcLinks = _balancers is null ? null : new LoadBalancerVpcLinkConnector(_balancers),
                CertificateIssuer = new SandboxCaCertificateIssuer(authority),
                State = _state,
                Callers = _callers!.Find,
                LoggerFactory = _loggers,
            },
            GatewayModelOf(_model),
            cancellationToken).ConfigureAwait(false);
        _owned.Add(gateway);
        _gateway = gateway;
        Done("gateway", string.Join(", ", _model.Stages.Select(s => $"{s.RestApiId}/{s.StageName}")));
    }

    /// <summary>What <c>cloister status</c> shows.</summary>
    public StackStatus Status()
    {
        var stacks = (_loaded?.Stacks ?? []).Select(s => new StackInfo(
            s.StackName,
            s.StackId,
            StackState(s.StackName),
            [.. s.Outputs.Select(o => new OutputInfo(o.OutputKey, o.OutputValue, o.Description, o.ExportName))],
            [.. s.Resources.Select(r => new ResourceInfo(r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId, ResourceStatus(s.StackName, r.LogicalResourceId), r.Modelled))]));
        var hosts = (_sandbox?.Hosts ?? []).Select(h => new HostInfo(
            h.LogicalId.Length > 0 ? h.LogicalId : h.Id, h.Kind.ToString(), h.Id, h.Address, h.Hostname, h.VpcId ?? h.OnPremisesNetworkId));
        var functions = _model.Functions.Select(f => new FunctionInfo(
            f.FunctionName, f.Runtime, _functions?.ProcessIdsOf(f.FunctionName).Count ?? 0, _functions?.ConcurrentExecutionsOf(f.FunctionName) ?? 0));
        var targets = (_balancers?.TargetHealth ?? []).Select(t =>
        {
            var target = IPEndPoint.Parse(t.Target);
            return new TargetHealthInfo(t.TargetGroupArn, target.Address.ToString(), target.Port, t.State.ToString().ToLowerInvariant(), t.Reason);
        });
        return new StackStatus(
            _stateName,
            _model.Account.Region,
            _sandbox?.Prefix ?? string.Empty,
            Sandbox.IsRootless,
            Environment.ProcessId,
            _startedAt,
            _readyAfter,
            [.. stacks],
            [.. hosts],
            [.. _services, .. InstanceServices()],
            [.. functions],
            [.. targets]);
    }

    private IEnumerable<ServiceInfo> InstanceServices() =>
        (_boot?.Instances ?? []).Select(i => new ServiceInfo(
            $"user data of {i.LogicalId} ({i.InstanceId})",
            [i.LogPath],
            i.Running ? "running" : i.ExitCode is { } code ? $"exited {code}" : "stopped"));

    /// <summary>Invokes a deployed function, as <c>aws lambda invoke</c> would.</summary>
    public async Task<InvocationReply> InvokeAsync(string functionName, string payload, string? invocationType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        var functions = _functions ?? throw new InvalidOperationException("No function is deployed.");
        // The name goes as given: a qualified one (NAME:ALIAS, NAME:3, an ARN) invokes that alias or version.
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var result = await functions.InvokeRequestAsync(functionName, null, bytes, invocationType, InvocationContext.None, cancellationToken).ConfigureAwait(false);
        return new InvocationReply(result.StatusCode, System.Text.Encoding.UTF8.GetString(result.Payload.Span), result.FunctionError, result.ExecutedVersion, result.RequestId, result.ServiceErrorType);
    }

    /// <summary>Stops every module, then removes the sandbox: nothing is left behind.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stateName = "stopping";
        // A running deploy was cancelled by whatever stops the host (HostRunner links its token to down and the stop
        // signals): it ends before the modules it may be changing are stopped, never beside the teardown. Bounded, so
        // that a step deaf to cancellation cannot keep the stacks up.
        var updateEnded = await _updating.WaitAsync(UpdateStopWait).ConfigureAwait(false);
        if (!updateEnded)
        {
            Report("teardown", "warning", $"a cloister deploy still running after {UpdateStopWait.TotalSeconds:0} s; the stacks are taken down beside it");
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Teardown goes on whatever one module throws: the sandbox must still be removed.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Report("teardown", "warning", $"{_owned[i].GetType().Name}: {exception.Message}");
            }
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        Report("teardown", "done", "every module stopped and the sandbox removed");
        if (updateEnded)
        {
            // Held from here on: a deploy asked later is refused (StoppingRefusal) without waiting on it.
            _updating.Dispose();
        }
    }

    private static CloudModel WithPreparedCode(CloudModel model, ImmutableDictionary<string, string> prepared) =>
        prepared.IsEmpty
            ? model
            : model with
            {
                Functions = [.. model.Functions.Select(f => (f.CodePath is { } path && prepared.TryGetValue(path, out var runnable) ? f with { CodePath = runnable } : f) with
                {
                    Layers = [.. f.Layers.Select(l => prepared.TryGetValue(l.ContentPath, out var built) ? l with { ContentPath = built } : l)],
                })],
            };

    private Socket Own(Socket socket)
    {
        _sockets.Add(socket);
        return socket;
    }

    private T Phase<T>(string phase, string message, Func<T> action)
    {
        Started(phase, message);
        return action();
    }

    private void Started(string phase, string message) => Report(phase, "started", message);

    private void Done(string phase, string message) => Report(phase, "done", message);

    private void Report(string phase, string state, string message)
    {
        if (state == "warning")
        {
            // Also in logs/host.log: the progress stream ends once the CLI detaches.
            Log.Warning(_logger, phase, message);
        }

        _report(new DeployEvent(phase, state, message, _clock.ElapsedMilliseconds));
    }
}
