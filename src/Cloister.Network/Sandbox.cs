using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cloister.Model;
using Cloister.Network.Realization;
using Cloister.Network.Runtime;
using Cloister.Network.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network;

/// <summary>
/// A running network fabric built from a <see cref="CloudModel"/>: namespaces, links, routes, security groups and
/// network ACLs, on-premises DNS servers. Disposing it removes everything it created; a crashed sandbox is cleaned
/// up by the next <see cref="StartAsync"/> or <see cref="CleanupAsync"/> with the same prefix.
/// </summary>
public sealed partial class Sandbox : IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    private readonly List<Process> _daemons = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NetworkPlan _plan;
    private CloudModel _model;
    private int _disposed;

    /// <summary>The nftables script each namespace's kernel holds: what a live change is compared with and restored to.</summary>
    private readonly Dictionary<string, string> _loaded;

    private Sandbox(SandboxOptions options, CloudModel model, NetworkPlan plan, ILogger logger)
    {
        _options = options;
        _model = model;
        _plan = plan;
        _logger = logger;
        _loaded = plan.Namespaces.Where(n => n.Nftables is not null).ToDictionary(n => n.Name, n => n.Nftables!, StringComparer.Ordinal);
        Nft = (ns, script, check, cancellationToken) => RunInNamespaceAsync(ns, "nft", check ? ["-c", "-f", "-"] : ["-f", "-"], script, cancellationToken);
        IpBatch = (ns, lines, force, cancellationToken) => RunInNamespaceAsync(ns, "ip", force ? ["-force", "-batch", "-"] : ["-batch", "-"], lines, cancellationToken);
    }

    /// <summary>
    /// Runs one nftables script in a namespace: checked only (<c>nft -c -f</c>) or loaded (<c>nft -f</c>); throws
    /// <see cref="FabricException"/> when nft refuses it. Tests replace it to make one namespace fail.
    /// </summary>
    internal Func<string, string, bool, CancellationToken, Task> Nft { get; set; }

    /// <summary>
    /// Runs <c>ip -batch</c> lines in a namespace, stopping at the first that fails (or, forced, going on past every
    /// failure); throws <see cref="FabricException"/> when one failed. Tests replace it to make a route change fail.
    /// </summary>
    internal Func<string, string, bool, CancellationToken, Task> IpBatch { get; set; }

    /// <summary>The namespace name prefix.</summary>
    public string Prefix => _plan.Prefix;

    /// <summary>Every host of the sandbox.</summary>
    public ImmutableArray<HostPlan> Hosts => _plan.Hosts;

    /// <summary>The model the fabric currently realizes.</summary>
    public CloudModel Model => _model;

    /// <summary>The empty namespace (loopback only) the owning process may move into.</summary>
    public string SandboxNamespace => _plan.SandboxNamespace;

    /// <summary>The namespace holding the region's service addresses.</summary>
    public string RegionNamespace => _plan.RegionNamespace;

    /// <summary>The description other processes read from <c>runtime/sandbox.json</c>.</summary>
    public SandboxDescription Description => new(
        1, _plan.Prefix, IsRootless, RootlessSandbox.OwnerPid, _model.Account.Region,
        _options.CaBundlePath is { } bundle && File.Exists(bundle) ? bundle : null,
        _plan.SandboxNamespace, _plan.RegionNamespace, _plan.Hosts,
        [.. _plan.Namespaces.Select(n => n.Name)], HostFilesDirectory);

    private string HostFilesDirectory => Path.Combine(_options.RuntimeDirectory, "hosts");

    /// <summary>Whether this process runs in a user namespace (the rootless mode).</summary>
    public static bool IsRootless
    {
        get
        {
            try
            {
                var map = File.ReadAllText("/proc/self/uid_map").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
                return !(map.Length == 3 && map[0] == "0" && map[1] == "0" && map[2] == "4294967295");
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Builds the fabric for <paramref name="model"/>, first removing leftovers with the same prefix.</summary>
    public static async Task<Sandbox> StartAsync(CloudModel model, SandboxOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var plan = PlanBuilder.Build(model, options.Prefix);
        FabricTools.Require(dnsServers: !plan.DnsServers.IsDefaultOrEmpty);
        await CleanupAsync(options.Prefix, logger, cancellationToken).ConfigureAwait(false);
        var sandbox = new Sandbox(options, model, plan, logger);
        try
        {
            var watch = Stopwatch.StartNew();
            await sandbox.CreateAsync(cancellationToken).ConfigureAwait(false);
            RuntimeState.Write(options, sandbox.Description, model);
            Log.SandboxStarted(logger, options.Prefix, plan.Namespaces.Length, plan.Hosts.Length, watch.ElapsedMilliseconds);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Applies a changed model to live traffic: its security groups and network ACLs (atomically per namespace), the
    /// routes of existing route tables (added, removed or retargeted within the running topology: peering routes of
    /// accepted peerings, gateway endpoint routes, blackholes), and swaps the table <see cref="OriginOf"/> reads for
    /// one built from the new model. All or nothing: anything else (hosts, links, namespaces, rules) is refused before
    /// anything changes, and a route or table the kernel refuses puts back what was already changed.
    /// </summary>
    public async Task ApplyAsync(CloudModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (next, routes, refusal) = LiveChanges(model);
            if (refusal is not null)
            {
                throw new FabricException(refusal);
            }

            var changed = next.Namespaces
                .Where(n => n.Nftables is not null && _loaded.TryGetValue(n.Name, out var loaded) && loaded != n.Nftables)
                .Select(n => (n.Name, Script: n.Nftables!))
                .ToList();
            var routeLines = routes.Sum(r => r.Changes.Apply.Count);
            await CheckTablesAsync(changed, cancellationToken).ConfigureAwait(false);
            await ChangeRoutesAsync(routes).ConfigureAwait(false);
            try
            {
                await LoadTablesAsync(changed).ConfigureAwait(false);
            }
            catch (FabricException)
            {
                await UndoRoutesAsync(routes).ConfigureAwait(false);
                throw;
            }

            _plan = next;
            _model = model;
            RuntimeState.Write(_options, Description, model);
            Log.RulesApplied(_logger, changed.Count, routeLines);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Why <paramref name="model"/> cannot be applied to the running fabric by <see cref="ApplyAsync"/> (it alters hosts,
    /// links or namespaces), or null when it can. Changes nothing.
    /// </summary>
    public string? LiveChangeRefusal(CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return LiveChanges(model).Refusal;
        }
        catch (FabricException e)
        {
            return e.Message;
        }
    }

    /// <summary>The plan of <paramref name="model"/>, the route changes of each namespace, and why it cannot change live (null when it can).</summary>
    private (NetworkPlan Next, List<(string Name, RouteChanges Changes)> Routes, string? Refusal) LiveChanges(CloudModel model)
    {
        var plan = _plan;
        var next = PlanBuilder.Rerender(plan, model);
        var previous = plan.Namespaces.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var routes = new List<(string Name, RouteChanges Changes)>();
        var structural = new List<string>();
        foreach (var ns in next.Namespaces)
        {
            if (!previous.TryGetValue(ns.Name, out var old) || RouteChanges.Between(old, ns) is not { } changes)
            {
                structural.Add(ns.Name);
            }
            else if (!changes.IsEmpty)
            {
                routes.Add((ns.Name, changes));
            }
        }

        return structural.Count > 0 || next.Namespaces.Length != plan.Namespaces.Length
            ? (next, routes, $"Only security groups, network ACLs and the routes of existing route tables change live; this change also alters hosts, links or namespaces ({string.Join(", ", structural)}): restart the sandbox.")
            : (next, routes, null);
    }

    /// <summary>
    /// Changes the routes of every namespace, or none: when one batch fails, every namespace gets its previous routes
    /// back (a forced batch, which goes on past the lines that had not been applied). Not cancelled half-way.
    /// </summary>
    private async Task ChangeRoutesAsync(List<(string Name, RouteChanges Changes)> routes)
    {
        var failures = new List<string>();
        foreach (var (name, changes) in routes)
        {
            try
            {
                await IpBatch(name, string.Join('\n', changes.Apply) + "\n", false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (FabricException e)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }

        if (failures.Count == 0)
        {
            return;
        }

        var unrestored = await UndoRoutesAsync(routes).ConfigureAwait(false);
        throw new FabricException(
            "No route was changed; ip refuses:\n  " + string.Join("\n  ", failures) +
            (unrestored.Count == 0 ? string.Empty : "\nand could not restore the previous routes (restart the sandbox):\n  " + string.Join("\n  ", unrestored)));
    }

    /// <summary>Puts every namespace's previous routes back; the namespaces where that failed.</summary>
    private async Task<List<string>> UndoRoutesAsync(List<(string Name, RouteChanges Changes)> routes)
    {
        var unrestored = new List<string>();
        foreach (var (name, changes) in routes)
        {
            try
            {
                await IpBatch(name, string.Join('\n', changes.Undo) + "\n", true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (FabricException e) when (changes.Undo.Any(l => !l.StartsWith("route del ", StringComparison.Ordinal)))
            {
                // A forced batch fails when any line did, and deleting a route never added fails: only a route that
                // could not be put back matters, so only undo batches that put some back report.
                unrestored.Add($"{name}: {e.Message}");
            }
            catch (FabricException)
            {
                // Only deletions of routes the failed batch may never have added.
            }
        }

        return unrestored;
    }

    /// <summary>Checks every changed table (<c>nft -c</c>) so that one the kernel refuses changes nothing.</summary>
    private async Task CheckTablesAsync(List<(string Name, string Script)> changed, CancellationToken cancellationToken)
    {
        var refused = await Task.WhenAll(changed.Select(t => TryNftAsync(t.Name, t.Script, check: true, cancellationToken))).ConfigureAwait(false);
        if (refused.OfType<string>().ToList() is { Count: > 0 } problems)
        {
            throw new FabricException("No table was changed; nft refuses:\n  " + string.Join("\n  ", problems));
        }
    }

    /// <summary>
    /// Loads the checked tables all or none: should a load fail, the namespaces already changed get their previous
    /// table back. Loading is not cancelled half-way.
    /// </summary>
    private async Task LoadTablesAsync(List<(string Name, string Script)> changed)
    {
        var previous = changed.ToDictionary(t => t.Name, t => _loaded[t.Name], StringComparer.Ordinal);
        var failures = await Task.WhenAll(changed.Select(t => TryNftAsync(t.Name, t.Script, check: false, CancellationToken.None))).ConfigureAwait(false);
        for (var i = 0; i < changed.Count; i++)
        {
            if (failures[i] is null)
            {
                _loaded[changed[i].Name] = changed[i].Script;
            }
        }

        if (failures.OfType<string>().ToList() is not { Count: > 0 } failed)
        {
            return;
        }

        var loaded = changed.Where((_, i) => failures[i] is null).Select(t => t.Name).ToList();
        var restores = await Task.WhenAll(loaded.Select(name => TryNftAsync(name, previous[name], check: false, CancellationToken.None))).ConfigureAwait(false);
        for (var i = 0; i < loaded.Count; i++)
        {
            if (restores[i] is null)
            {
                _loaded[loaded[i]] = previous[loaded[i]];
            }
        }

        var unrestored = restores.OfType<string>().ToList();
        throw new FabricException(
            "The change was not applied; nft failed:\n  " + string.Join("\n  ", failed) +
            (unrestored.Count == 0 ? string.Empty : "\nand could not restore the previous table (restart the sandbox):\n  " + string.Join("\n  ", unrestored)));
    }

    /// <summary>Runs <see cref="Nft"/>; the failure's message, or null when it succeeded.</summary>
    private async Task<string?> TryNftAsync(string ns, string script, bool check, CancellationToken cancellationToken)
    {
        try
        {
            await Nft(ns, script, check, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (FabricException e)
        {
            return $"{ns}: {e.Message}";
        }
    }

    /// <summary>Finds a host by logical id, id, Name tag, namespace, address or host name.</summary>
    public HostPlan? FindHost(string name) => _plan.Hosts.FirstOrDefault(h => h.IsNamedBy(name));

    /// <summary>Removes every namespace whose name starts with <paramref name="prefix"/>, ending the processes in them first.</summary>
    public static async Task CleanupAsync(string prefix, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var names = await ListNamespacesAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (names.Count == 0)
        {
            return;
        }

        foreach (var name in names)
        {
            var pids = await CommandRunner.RunAsync("ip", ["netns", "pids", name], cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var line in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId)
                {
                    TryKill(pid);
                }
            }
        }

        var batch = new StringBuilder();
        foreach (var name in names)
        {
            batch.Append("netns del ").Append(name).Append('\n');
        }

        var result = await CommandRunner.RunAsync("ip", ["-force", "-batch", "-"], batch.ToString(), cancellationToken).ConfigureAwait(false);
        var detail = result.Error.Trim();
        Log.LeftoversRemoved(logger ?? NullLogger.Instance, prefix, names.Count, detail);
    }

    /// <summary>The namespaces whose name starts with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> ListNamespacesAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!Directory.Exists(LinuxNamespaces.NetnsDirectory))
        {
            return [];
        }

        await Task.CompletedTask.ConfigureAwait(false);
        return [.. Directory.EnumerateFiles(LinuxNamespaces.NetnsDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Stops the DNS servers and removes every namespace and runtime file of the sandbox.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Bounded: a daemon's output is read asynchronously, so its wait also waits for every holder of its pipe. The
        // namespace cleanup below ends whatever is left in the sandbox's namespaces.
        foreach (var daemon in _daemons)
        {
            if (!await ProcessEnding.KillAsync(daemon, ProcessEnding.DaemonWait).ConfigureAwait(false))
            {
                Log.DaemonOutlived(_logger, daemon.Id, ProcessEnding.DaemonWait.TotalSeconds);
            }

            daemon.Dispose();
        }

        await CleanupAsync(_plan.Prefix, _logger).ConfigureAwait(false);
        RuntimeState.Delete(_options);
        _gate.Dispose();
    }

    private static void TryKill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Exited meanwhile.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }
}
