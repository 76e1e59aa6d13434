using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloister.Dns;
using Cloister.Functions.InvokeApi;
using Cloister.Gateway;
using Cloister.Host.Control;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Model.Compute;
using Cloister.Model.Data;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>
/// <c>cloister deploy</c>: updates the running stacks in place, as CloudFormation's UPDATE does. The request is loaded
/// as <c>up</c> loads it, given the running resources' physical ids (<see cref="IdAlignment"/>), and diffed per
/// resource (<see cref="StackChanges"/>). A change only a rebuilt sandbox can make refuses the whole deployment before
/// anything changes; the others are applied in order (<see cref="Steps"/>) — IAM roles, new and changed tables, functions, the fabric
/// (security groups, network ACLs, routes), DNS, API Gateway, SSM parameters, then the cleanup of removed functions and
/// tables — and the stacks' status, outputs and the runtime model follow. A step that fails rolls back what was applied
/// (<see cref="UpdateRun"/>), unless the deployment disables rollback.
/// </summary>
public sealed partial class StackHost
{
    private const string TableType = "AWS::DynamoDB::Table";

    /// <summary>The answer to a deploy asked once the host has begun to stop.</summary>
    private const string StoppingRefusal = "The stacks are being taken down; nothing was changed.";

    // How long the host's stop waits for a cancelled deploy to end before it tears the stacks down anyway.
    private static readonly TimeSpan UpdateStopWait = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _updating = new(1, 1);
    // Read by status while a deployment writes them: a concurrent map and a set swapped whole.
    private readonly ConcurrentDictionary<(string Stack, string LogicalId), string> _resourceStatus = new();
    // A stack's status once a deployment touched it (UPDATE_IN_PROGRESS, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE...).
    private ImmutableDictionary<string, string> _stackStatus = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);
    private Dictionary<string, string> _codeFingerprints = new(StringComparer.Ordinal);
    private DnsService? _dns;
    private GatewayServer? _gateway;

    // Whether the gateway listens on the Region's front end (opened only when the sandbox comes up).
    private bool _frontEnd;
    private InvokeApiServer? _invokeApi;
    private Uri? _tablesUrl;

    /// <summary>
    /// Updates the running stacks to <paramref name="request"/> (every running stack, the same names; code prepared by
    /// the CLI as for <c>up</c>); returns the per-resource progress, and why nothing was changed when it refuses, or why
    /// it failed. A failed deployment is rolled back to the running model unless <paramref name="disableRollback"/>
    /// (<c>--disable-rollback</c>), which leaves what was applied.
    /// </summary>
    public async Task<ControlResponse> UpdateAsync(DeployRequest request, bool disableRollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Volatile.Read(ref _disposed) != 0 || !await _updating.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return new ControlResponse(false, Volatile.Read(ref _disposed) != 0 ? StoppingRefusal : "Another cloister deploy is updating the stacks; wait for it to end.");
        }

        var events = new List<DeployEvent>();
        try
        {
            var refusal = await UpdateStacksAsync(request, disableRollback, e => events.Add(e with { ElapsedMilliseconds = _clock.ElapsedMilliseconds }), cancellationToken).ConfigureAwait(false);
            return new ControlResponse(refusal is null, refusal, Events: events);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // cloister down (or a stop signal) while the deploy ran: the host goes down once this returns.
            return new ControlResponse(false, "The deployment was cancelled: the stacks are being taken down (cloister down, or the host was told to stop).", Events: events);
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>Null once applied (or when there was nothing to apply); else why nothing was changed, or why the update failed.</summary>
    private async Task<string?> UpdateStacksAsync(DeployRequest request, bool disableRollback, Action<DeployEvent> report, CancellationToken cancellationToken)
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

        if (request.Account != _model.Account)
        {
            // Another account or region is another deployment on AWS, never an update of this one (the CLI sends the running ones).
            return $"The stacks run in account {_model.Account.AccountId}, region {_model.Account.Region}; a deployment updates them there, " +
                $"not in account {request.AccountId}, region {request.Region}. Nothing was changed.";
        }

        var loaded = request.Load(_startedAt);
        if (!loaded.IsValid)
        {
            return "The templates have problems; nothing was changed:\n  " + string.Join("\n  ", loaded.Validation.Problems.Select(p => p.ToString()));
        }

        // A table a failed deployment created and left is paired too, so that it keeps its generated name; so is a
        // replacement it left, while the template still replaces the running table.
        var (idModel, idStacks) = WithTablesOfFailedDeploys(loaded);
        var generated = StackChanges.WithoutReplacedTables(IdAlignment.GeneratedTokens(loaded, request.Load(_startedAt)), idStacks, idModel, loaded.Stacks, loaded.Model);
        var (model, stacks) = IdAlignment.Align(idModel, idStacks, WithPreparedCode(loaded.Model, request.PreparedCode), loaded.Stacks, generated);
        var fingerprints = model.Functions.ToDictionary(f => f.FunctionName, CodeFingerprint, StringComparer.Ordinal);
        var codeChanged = fingerprints.Where(f => _codeFingerprints.TryGetValue(f.Key, out var old) && old != f.Value).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var changes = StackChanges.Between(running, stacks, _model, model, codeChanged);
        if (changes.Count == 0)
        {
            // A DeletionPolicy changed alone is no resource change, but it is the stack's now: a later removal obeys it.
            // Outputs changed alone make an executable change set with no resource changes, which CloudFormation runs: the
            // stack is updated with its new outputs (UPDATE_COMPLETE) and the others are up to date.
            _loaded = _loaded! with { Stacks = stacks };
            await File.WriteAllTextAsync(HostRunner.RequestPath(_state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest), CancellationToken.None).ConfigureAwait(false);
            RecordDeployment("deploy");
            foreach (var stack in stacks)
            {
                if (!OutputsChanged(running, stack))
                {
                    report(new DeployEvent(stack.StackName, "unchanged", $"No changes to deploy. Stack {stack.StackName} is up to date", 0));
                    continue;
                }

                _stackStatus = _stackStatus.SetItem(stack.StackName, "UPDATE_COMPLETE");
                report(new DeployEvent(stack.StackName, "UPDATE_COMPLETE", $"Successfully created/updated stack - {stack.StackName}", 0));
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

        if (refused.Count == 0 && FrontEndRefusal(model) is { } frontEnd)
        {
            refused.Add(frontEnd);
        }

        if (refused.Count > 0)
        {
            foreach (var line in refused)
            {
                report(new DeployEvent("deploy", "refused", line, 0));
            }

            return $"{refused.Count} change(s) need the sandbox rebuilt; nothing was changed.";
        }

        var statusBefore = _stackStatus;
        var run = new UpdateRun(changes, report, (c, state) => _resourceStatus[(c.StackName, c.LogicalId)] = state, (stack, state) => _stackStatus = _stackStatus.SetItem(stack, state));
        var createdTables = new List<Table>();
        try
        {
            if (await run.ApplyAsync(Steps(model, running, stacks, codeChanged, createdTables, report), disableRollback, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                KeepTablesOfFailedDeploy(createdTables, stacks);
                return failure;
            }

            await CleanUpAsync(model, running, stacks, changes, run, report, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled (the host is going down): the stacks are not left UPDATE_IN_PROGRESS, and the tables this
            // deployment created go, as a cancelled update's rollback deletes what it created.
            _stackStatus = statusBefore;
            await DeleteTablesOfCancelledDeployAsync(model.Account, createdTables).ConfigureAwait(false);
            throw;
        }
        catch
        {
            _stackStatus = statusBefore;
            throw;
        }

        _loaded = loaded with { Model = model, Stacks = stacks };
        _model = model;
        // What cloister deploy reads next as the running templates and parameters.
        await File.WriteAllTextAsync(HostRunner.RequestPath(_state), JsonSerializer.Serialize(request, HostJson.Default.DeployRequest), CancellationToken.None).ConfigureAwait(false);
        _codeFingerprints = fingerprints;
        _tablesOfFailedDeploys.Clear();
        RecordDeployment("deploy");
        foreach (var stack in stacks.Where(s => !changes.Any(c => c.StackName == s.StackName)))
        {
            report(new DeployEvent(stack.StackName, "unchanged", $"No changes to deploy. Stack {stack.StackName} is up to date", 0));
        }

        foreach (var stack in changes.Select(c => c.StackName).Distinct(StringComparer.Ordinal))
        {
            _stackStatus = _stackStatus.SetItem(stack, "UPDATE_COMPLETE");
            report(new DeployEvent(stack, "UPDATE_COMPLETE", $"Successfully created/updated stack - {stack}", 0));
        }

        return null;
    }

    /// <summary>
    /// Deletes the tables a cancelled deployment created (a new table, or the new one of a replacement), with what was
    /// written to them since, as CloudFormation's rollback of a cancelled update does. The state folder's record is still
    /// the running deployment's and does not hold them: kept, they would stay in the table store under generated names no
    /// stack holds, and the next <c>up</c> would draw others. Not cancellable: the host's stop waits for it
    /// (<see cref="UpdateStopWait"/>) before it stops the table service; a failure is a warning.
    /// </summary>
    private async Task DeleteTablesOfCancelledDeployAsync(AccountContext account, List<Table> created)
    {
        if (await UpdateRun.TryAsync("deploy", ct => DeleteTablesAsync(account, created, ct), CancellationToken.None).ConfigureAwait(false) is { } failure)
        {
            Report("deploy", "warning", $"the cancelled deployment's new tables ({string.Join(", ", created.Select(t => t.TableName))}) could not be deleted: {string.Join("; ", failure.Problems)}");
        }
    }

    /// <summary>
    /// The tables the cleanup deletes: those removed from their stacks, as the running stacks hold them (with the
    /// <c>DeletionPolicy</c> they were deployed with: the reloaded template no longer has them), and those replaced under a
    /// new name, the old one going as the new template's <c>UpdateReplacePolicy</c> says, as CloudFormation applies it.
    /// </summary>
    private static List<(StackResource Resource, string Policy)> RemovedTables(ImmutableArray<StackSummary> running, ImmutableArray<StackSummary> stacks, List<ResourceChange> changes) =>
    [
        .. changes.Where(c => c.Action == ChangeAction.Remove && c.ResourceType == TableType).Select(c => (RunningResource(running, c), "DeletionPolicy")),
        .. changes.Where(c => c.ReplacedPhysicalId is not null && c.ResourceType == TableType).Select(c =>
            (RunningResource(running, c) with { DeletionPolicy = RunningResource(stacks, c).UpdateReplacePolicy }, "UpdateReplacePolicy")),
    ];

    /// <summary>Whether <paramref name="stack"/>'s outputs (keys, values, descriptions, export names, order) differ from its running ones.</summary>
    private static bool OutputsChanged(ImmutableArray<StackSummary> running, StackSummary stack) =>
        !running.First(s => s.StackName == stack.StackName).Outputs.SequenceEqual(stack.Outputs);

    private static StackResource RunningResource(ImmutableArray<StackSummary> running, ResourceChange change) =>
        running.First(s => s.StackName == change.StackName).Resources.First(r => r.LogicalResourceId == change.LogicalId);

    /// <summary>
    /// Removed and replaced tables go as CloudFormation's DeletionPolicy (or UpdateReplacePolicy) says: deleted through the
    /// table service's DeleteTable (its items gone, as on AWS) under <c>Delete</c>, the default for a table, and under
    /// <c>Snapshot</c>, which CloudFormation takes for a table but cannot snapshot; kept (<c>DELETE_SKIPPED</c>) under
    /// <c>Retain</c> and <c>RetainExceptOnCreate</c>, served until <c>down</c>. A table whose name the new template still
    /// holds (under another logical id) is the new one's and stays. <paramref name="previous"/> holds the tables as they
    /// were deployed: the running model for <c>deploy</c>, the last run's for <c>up</c>.
    /// </summary>
    private async Task RemoveTablesAsync(CloudModel previous, CloudModel model, IReadOnlyList<(StackResource Resource, string Policy)> removedTables, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        var deleted = new List<Table>();
        foreach (var (resource, policy) in removedTables)
        {
            if (previous.Tables.FirstOrDefault(t => t.TableName == resource.PhysicalResourceId) is not { } table || model.Tables.Any(t => t.TableName == table.TableName))
            {
                continue;
            }

            if (!resource.DeletesWhenRemoved)
            {
                report(new DeployEvent("tables", "DELETE_SKIPPED", $"{table.LogicalId} ({table.TableName}): {policy} {resource.DeletionPolicy}; the table and its data are kept in {_state.TablesOf(_model.Account)}", 0));
                continue;
            }

            if (resource.DeletionPolicy == "Snapshot")
            {
                report(new DeployEvent("tables", "warning", $"{table.LogicalId} ({table.TableName}): {policy} Snapshot is not supported for AWS::DynamoDB::Table; deleted without a snapshot, as CloudFormation does", 0));
            }

            deleted.Add(table);
        }

        if (deleted.Count > 0)
        {
            await ProvisionTablesAsync(model.Account, provisioner => provisioner.DeleteAsync(deleted, cancellationToken)).ConfigureAwait(false);
        }
    }

    private static string Complete(ResourceChange change, ImmutableArray<StackSummary> running) => change.Action switch
    {
        ChangeAction.Add => "CREATE_COMPLETE",
        ChangeAction.Remove when change.ResourceType == TableType && !RunningResource(running, change).DeletesWhenRemoved => "DELETE_SKIPPED",
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

    /// <summary>
    /// The status of a stack: <c>CREATE_COMPLETE</c> until a deployment changes it, then as its last event says
    /// (<c>UPDATE_IN_PROGRESS</c>, <c>UPDATE_COMPLETE</c>, <c>UPDATE_ROLLBACK_COMPLETE</c>, <c>UPDATE_FAILED</c>...).
    /// </summary>
    private string StackState(string stack) =>
        _stateName != "ready" ? "CREATE_IN_PROGRESS"
        : _stackStatus.TryGetValue(stack, out var status) ? status
        : "CREATE_COMPLETE";
}
