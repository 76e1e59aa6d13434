using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Dns;
using Cloister.Gateway;
using Cloister.Host.Control;
using Cloister.Host.Tables;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Network;
using Cloister.Network.Runtime;

namespace Cloister.Host;

/// <summary>
/// <c>cloister deploy</c>: updates the running stacks in place, as CloudFormation's UPDATE does. The request is loaded
/// as <c>up</c> loads it, given the running resources' physical ids (<see cref="IdAlignment"/>), and diffed per
/// resource (<see cref="StackChanges"/>). A change only a rebuilt sandbox can make refuses the whole deployment before
/// anything changes; the others are applied in order — IAM roles, new tables, functions, the fabric (security groups, network
/// ACLs, routes), DNS, API Gateway, then removed functions — and the stacks' status, outputs and the runtime model
/// follow.
/// </summary>
public sealed partial class StackHost
{
    private readonly SemaphoreSlim _updating = new(1, 1);
    // Read by status while a deployment writes them: a concurrent map and a set swapped whole.
    private readonly ConcurrentDictionary<(string Stack, string LogicalId), string> _resourceStatus = new();
    private ImmutableHashSet<string> _updatedStacks = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private ImmutableHashSet<string> _updatingStacks = [];
    private Dictionary<string, string> _codeFingerprints = new(StringComparer.Ordinal);
    private DnsService? _dns;
    private GatewayServer? _gateway;
    private Uri? _tablesUrl;

    /// <summary>
    /// Updates the running stacks to <paramref name="request"/> (every running stack, the same names; code prepared by
    /// the CLI as for <c>up</c>); returns the per-resource progress, and why nothing was changed when it refuses.
    /// </summary>
    public async Task<ControlResponse> UpdateAsync(DeployRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await _updating.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return new ControlResponse(false, "Another cloister deploy is updating the stacks; wait for it to end.");
        }

        try
        {
            var events = new List<DeployEvent>();
            var refusal = await UpdateStacksAsync(request, e => events.Add(e with { ElapsedMilliseconds = _clock.ElapsedMilliseconds }), cancellationToken).ConfigureAwait(false);
            return new ControlResponse(refusal is null, refusal, Events: events);
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>Null once applied (or when there was nothing to apply); else why nothing was changed.</summary>
    private async Task<string?> UpdateStacksAsync(DeployRequest request, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        var running = _loaded!.Stacks;
        var names = request.Templates.Select(t => new Templates.TemplateFile(t.Path) { StackName = t.StackName }.ResolvedStackName).ToList();
        var notRunning = names.Where(n => !running.Any(s => s.StackName == n)).ToList();
        if (notRunning.Count > 0)
        {
            return $"No stack named {string.Join(", ", notRunning)} is running (running: {string.Join(", ", running.Select(s => s.StackName))}); " +
                "cloister deploy updates running stacks, it does not add any: ./cloister down, then ./cloister up with every template.";
        }

        var missing = running.Select(s => s.StackName).Except(names, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return $"A deployment names every running stack; {string.Join(", ", missing)} missing. Nothing was changed.";
        }

        var loaded = request.Load(_startedAt);
        if (!loaded.IsValid)
        {
            return "The templates have problems; nothing was changed:\n  " + string.Join("\n  ", loaded.Validation.Problems.Select(p => p.ToString()));
        }

        var (model, stacks) = IdAlignment.Align(_model, running, WithPreparedCode(loaded.Model, request.PreparedCode), loaded.Stacks);
        var fingerprints = model.Functions.ToDictionary(f => f.FunctionName, CodeFingerprint, StringComparer.Ordinal);
        var codeChanged = fingerprints.Where(f => _codeFingerprints.TryGetValue(f.Key, out var old) && old != f.Value).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var changes = StackChanges.Between(running, stacks, _model, model, codeChanged);
        if (changes.Count == 0)
        {
            foreach (var stack in stacks)
            {
                report(new DeployEvent(stack.StackName, "unchanged", $"No changes to deploy. Stack {stack.StackName} is up to date", 0));
            }

            return null;
        }

        var refused = changes.Where(c => c.Refusal is not null).Select(c => c.RefusalLine).ToList();
        if (refused.Count == 0)
        {
            refused.AddRange(StackChanges.StructuralRecords(_model, model));
        }

        if (refused.Count == 0 && _sandbox!.LiveChangeRefusal(model) is { } network)
        {
            refused.Add(network);
        }

        if (refused.Count > 0)
        {
            foreach (var line in refused)
            {
                report(new DeployEvent("deploy", "refused", line, 0));
            }

            return $"{refused.Count} change(s) need the sandbox rebuilt; nothing was changed.";
        }

        foreach (var change in changes)
        {
            report(new DeployEvent(change.StackName, InProgress(change.Action), $"{change.LogicalId} ({change.ResourceType})", 0));
        }

        _updatingStacks = [.. changes.Select(c => c.StackName)];
        try
        {
            await ApplyAsync(model, codeChanged, report, cancellationToken).ConfigureAwait(false);
            ApplyParameters(running, stacks);
        }
        catch (StackDeployException exception)
        {
            foreach (var problem in exception.Problems)
            {
                report(new DeployEvent(exception.Phase, "failed", problem, 0));
            }

            return $"The update failed in {exception.Phase}; what was applied before it stays (see above).";
        }
        finally
        {
            _updatingStacks = [];
        }

        foreach (var change in changes)
        {
            var status = Complete(change.Action, change.ResourceType);
            _resourceStatus[(change.StackName, change.LogicalId)] = status;
            report(new DeployEvent(change.StackName, status, $"{change.LogicalId} ({change.ResourceType})", 0));
        }

        _loaded = loaded with { Model = model, Stacks = stacks };
        _model = model;
        // What cloister deploy reads next as the running templates and parameters.
        await File.WriteAllTextAsync(HostRunner.RequestPath(_state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest), CancellationToken.None).ConfigureAwait(false);
        _codeFingerprints = fingerprints;
        _updatedStacks = _updatedStacks.Union(changes.Select(c => c.StackName));
        foreach (var stack in stacks.Where(s => !changes.Any(c => c.StackName == s.StackName)))
        {
            report(new DeployEvent(stack.StackName, "unchanged", $"No changes to deploy. Stack {stack.StackName} is up to date", 0));
        }

        foreach (var stack in changes.Select(c => c.StackName).Distinct(StringComparer.Ordinal))
        {
            report(new DeployEvent(stack, "UPDATE_COMPLETE", $"Successfully created/updated stack - {stack}", 0));
        }

        return null;
    }

    private async Task ApplyAsync(CloudModel model, HashSet<string> codeChanged, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        ApplyAccess(model, report);
        var added = model.Tables.Where(t => !_model.Tables.Any(o => o.TableName == t.TableName)).ToList();
        if (added.Count > 0 && _tablesUrl is { } url)
        {
            using var client = new HttpClient { BaseAddress = url };
            var problems = await new TableProvisioner(client, model.Account).EnsureAsync([.. added], cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                throw new StackDeployException("tables", problems);
            }
        }

        // New and changed functions first, so that a route, an API or a record that leads to one finds it running; a
        // redeployed function's new invocations run the new code and configuration.
        var before = _model.Functions.ToDictionary(f => f.FunctionName, f => JsonSerializer.Serialize(f, RuntimeState.Json), StringComparer.Ordinal);
        var deploy = model.Functions.Where(f => !before.TryGetValue(f.FunctionName, out var json) || json != JsonSerializer.Serialize(f, RuntimeState.Json) || codeChanged.Contains(f.FunctionName)).ToList();
        var failed = new List<string>();
        foreach (var function in deploy)
        {
            var result = await _functions!.DeployAsync(function).ConfigureAwait(false);
            failed.AddRange(result.Problems.Select(p => $"{function.LogicalId}: {p}"));
        }

        if (failed.Count > 0)
        {
            throw new StackDeployException("functions", failed);
        }

        try
        {
            // Always: it also writes the runtime model exec and path read.
            await _sandbox!.ApplyAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (FabricException exception)
        {
            throw new StackDeployException("network", [exception.Message], exception);
        }

        foreach (var skipped in _dns?.Apply(model) ?? [])
        {
            report(new DeployEvent("dns", "warning", skipped, 0));
        }

        _gateway?.Update(GatewayModelOf(model));
        foreach (var removed in _model.Functions.Where(f => !model.Functions.Any(n => n.FunctionName == f.FunctionName)))
        {
            await _functions!.RemoveAsync(removed.FunctionName).ConfigureAwait(false);
        }

        foreach (var table in _model.Tables.Where(t => !model.Tables.Any(n => n.TableName == t.TableName)))
        {
            // The old template's DeletionPolicy is gone with it: the data stays, as with Retain (docs/host.md).
            report(new DeployEvent("tables", "DELETE_SKIPPED", $"{table.LogicalId} ({table.TableName}): removed from the template; its data is kept in {_state.Tables}", 0));
        }

    }

    private static string InProgress(ChangeAction action) => action switch
    {
        ChangeAction.Add => "CREATE_IN_PROGRESS",
        ChangeAction.Remove => "DELETE_IN_PROGRESS",
        _ => "UPDATE_IN_PROGRESS",
    };

    private static string Complete(ChangeAction action, string type) => action switch
    {
        ChangeAction.Add => "CREATE_COMPLETE",
        ChangeAction.Remove when type == "AWS::DynamoDB::Table" => "DELETE_SKIPPED",
        ChangeAction.Remove => "DELETE_COMPLETE",
        _ => "UPDATE_COMPLETE",
    };

    /// <summary>
    /// What a function runs from, as a fingerprint: every file under its code and layers with its size and modification
    /// time. A code folder edited in place (a Node or Python function) changes it though its template does not.
    /// </summary>
    private static string CodeFingerprint(LambdaFunction function)
    {
        var text = new StringBuilder();
        foreach (var root in new[] { function.CodePath }.Concat(function.Layers.Select(l => l.ContentPath)).OfType<string>())
        {
            text.Append(root).Append('\n');
            if (File.Exists(root))
            {
                var file = new FileInfo(root);
                text.Append(CultureInfo.InvariantCulture, $"{file.Length} {file.LastWriteTimeUtc.Ticks}\n");
                continue;
            }

            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
                .OrderBy(f => f.FullName, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{file.FullName} {file.Length} {file.LastWriteTimeUtc.Ticks}\n");
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>What the gateway serves of <paramref name="model"/>.</summary>
    private static GatewayModel GatewayModelOf(CloudModel model) =>
        new(model.Account, model.RestApis, model.Deployments, model.Stages, model.VpcEndpoints)
        {
            Authorizers = model.Authorizers,
            ApiKeys = model.ApiKeys,
            UsagePlans = model.UsagePlans,
            UsagePlanKeys = model.UsagePlanKeys,
            VpcLinks = model.VpcLinks,
            DomainNames = model.DomainNames,
            PrivateDomainNames = model.PrivateDomainNames,
            BasePathMappings = model.BasePathMappings,
            PrivateBasePathMappings = model.PrivateBasePathMappings,
            DomainNameAccessAssociations = model.DomainNameAccessAssociations,
            Certificates = model.Certificates,
            Functions = model.Functions,
            Roles = model.Roles,
        };

    /// <summary>The status of a resource: <c>CREATE_COMPLETE</c> until a deployment changed it.</summary>
    private string ResourceStatus(string stack, string logicalId) =>
        _resourceStatus.TryGetValue((stack, logicalId), out var status) ? status : "CREATE_COMPLETE";

    /// <summary>The status of a stack: <c>UPDATE_IN_PROGRESS</c> while a deployment changes it, <c>UPDATE_COMPLETE</c> once one did.</summary>
    private string StackState(string stack) =>
        _stateName != "ready" ? "CREATE_IN_PROGRESS"
        : _updatingStacks.Contains(stack) ? "UPDATE_IN_PROGRESS"
        : _updatedStacks.Contains(stack) ? "UPDATE_COMPLETE"
        : "CREATE_COMPLETE";
}
