using System.Collections.Immutable;
using System.Text.Json;
using Cloister.Host.Control;
using Cloister.Host.Tables;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Model.Data;
using Cloister.Network;
using Cloister.Network.Runtime;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>
/// <c>cloister deploy</c>'s steps: what each applies of the new model and how each puts the running model back when the
/// deployment rolls back.
/// </summary>
public sealed partial class StackHost
{
    /// <summary>
    /// The steps from the running model to <paramref name="model"/>, in the order they apply: the roles and endpoint
    /// policies first (CloudFormation creates a role before what uses it), new and changed tables, new and changed functions (so that
    /// what leads to them finds them), the fabric, DNS, API Gateway with Lambda's resource-based policies, then the
    /// templates' SSM parameters. Removed functions and tables are the cleanup's (<see cref="CleanUpAsync"/>). The tables
    /// the table service creates go into <paramref name="createdTables"/>.
    /// </summary>
    private List<UpdateStep> Steps(
        CloudModel model, ImmutableArray<StackSummary> running, ImmutableArray<StackSummary> stacks, HashSet<string> codeChanged, List<Table> createdTables, Action<DeployEvent> report)
    {
        var previous = _model;
        var deployedFunctions = new List<string>();
        var appliedFunctionIds = new HashSet<string>(StringComparer.Ordinal);
        Action<DeployEvent> quiet = _ => { };
        return
        [
            new("iam", t => t.StartsWith("AWS::IAM::", StringComparison.Ordinal) || t == "AWS::EC2::VPCEndpoint", _ => Run(() => ApplyAccess(model, report)), _ => Run(() => ApplyAccess(previous, quiet))),
            new("tables", t => t == TableType, ct => EnsureTablesAsync(model, previous, createdTables, ct), ct => EnsureTablesAsync(previous, model, null, ct), ct => DeleteTablesAsync(model.Account, createdTables, ct)),
            new("functions", t => t.StartsWith("AWS::Lambda::", StringComparison.Ordinal) && t != "AWS::Lambda::Permission", ct => DeployFunctionsAsync(model, previous, codeChanged, deployedFunctions, appliedFunctionIds, ct), _ => RedeployFunctionsAsync(previous, deployedFunctions))
            {
                AppliedIds = appliedFunctionIds,
            },
            new("network", t => t.StartsWith("AWS::EC2::", StringComparison.Ordinal), ct => ApplyFabricAsync(model, ct), ct => ApplyFabricAsync(previous, ct)),
            new("dns", t => t.StartsWith("AWS::Route53", StringComparison.Ordinal), _ => Run(() => ApplyDns(model, report)), _ => Run(() => ApplyDns(previous, quiet))),
            new("gateway", t => t.StartsWith("AWS::ApiGateway::", StringComparison.Ordinal) || t.StartsWith("AWS::CertificateManager::", StringComparison.Ordinal) || t == "AWS::Lambda::Permission", _ => Run(() => ApplyApis(model, report)), _ => Run(() => ApplyApis(previous, quiet))),
            new("ssm", t => t == "AWS::SSM::Parameter", _ => Run(() => ApplyParameters(running, stacks)), _ => Run(() => ApplyParameters(stacks, running))),
        ];

        static Task Run(Action action)
        {
            action();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Creates the tables <paramref name="model"/> adds (those the table service created go into <paramref name="created"/>)
    /// and gives those whose settings it changes their new settings in place (<see cref="TableProvisioner"/>: tags, time to
    /// live, point-in-time recovery, deletion protection, table class, billing mode, encryption, a global secondary index
    /// created or deleted, resource policy; <see cref="StackChanges"/> refused every other change). The rollback's undo is the same call the other way round, without <paramref name="created"/>:
    /// the changed tables get the running model's settings back, and the cleanup deletes the new ones.
    /// </summary>
    private async Task EnsureTablesAsync(CloudModel model, CloudModel previous, List<Table>? created, CancellationToken cancellationToken)
    {
        var before = previous.Tables.ToDictionary(t => t.TableName, t => JsonSerializer.Serialize(t, RuntimeState.Json), StringComparer.Ordinal);
        // A table new to the model is created when applying only; when undoing, it is the cleanup's to delete.
        var changed = model.Tables
            .Where(t => before.TryGetValue(t.TableName, out var json) ? json != JsonSerializer.Serialize(t, RuntimeState.Json) : created is not null)
            .ToList();
        if (changed.Count > 0)
        {
            await ProvisionTablesAsync(model.Account, provisioner => provisioner.EnsureAsync(changed, created, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>The rollback's cleanup of new tables: deleted with what was written to them since, as CloudFormation deletes a resource its failed update created.</summary>
    private Task DeleteTablesAsync(AccountContext account, List<Table> created, CancellationToken cancellationToken) =>
        created.Count == 0 ? Task.CompletedTask : ProvisionTablesAsync(account, provisioner => provisioner.DeleteAsync(created, cancellationToken));

    /// <summary>
    /// One <see cref="TableProvisioner"/> call against the running table service (none without one); its problems fail
    /// the <c>tables</c> phase.
    /// </summary>
    private async Task ProvisionTablesAsync(AccountContext account, Func<TableProvisioner, Task<IReadOnlyList<string>>> call)
    {
        if (_tablesUrl is not { } url)
        {
            return;
        }

        using var client = new HttpClient { BaseAddress = url };
        var problems = await call(new TableProvisioner(client, account)).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            throw new StackDeployException("tables", problems);
        }
    }

    /// <summary>
    /// Deploys the functions that are new or whose record or code changed (a redeployed function's new invocations run
    /// the new code and configuration); each one deployed goes into <paramref name="deployed"/> (its name) and
    /// <paramref name="appliedIds"/> (its logical id, its versions' and aliases'), every refusal is a problem.
    /// </summary>
    private async Task DeployFunctionsAsync(CloudModel model, CloudModel previous, HashSet<string> codeChanged, List<string> deployed, HashSet<string> appliedIds, CancellationToken cancellationToken)
    {
        var before = previous.Functions.ToDictionary(f => f.FunctionName, f => JsonSerializer.Serialize(f, RuntimeState.Json), StringComparer.Ordinal);
        var failed = new List<string>();
        foreach (var function in model.Functions.Where(f => !before.TryGetValue(f.FunctionName, out var json) || json != JsonSerializer.Serialize(f, RuntimeState.Json) || codeChanged.Contains(f.FunctionName)))
        {
            // As at bring-up, a stop does not wait for a provisioned environment's init: the host's stop ends the deploy
            // here, then stops the service, and with it the environments still in init.
            var result = await _functions!.DeployAsync(function).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (result.Problems.Count == 0)
            {
                deployed.Add(function.FunctionName);
                appliedIds.UnionWith([function.LogicalId, .. function.Versions.Select(v => v.LogicalId), .. function.Aliases.Select(a => a.LogicalId)]);
            }

            failed.AddRange(result.Problems.Select(p => $"{function.LogicalId}: {p}"));
        }

        if (failed.Count > 0)
        {
            throw new StackDeployException("functions", failed);
        }
    }

    /// <summary>
    /// Puts back the functions a failed deployment deployed: a changed one is redeployed with its previous record (its
    /// code and configuration; it drains as any redeployed function does), a new one stops.
    /// </summary>
    private async Task RedeployFunctionsAsync(CloudModel previous, List<string> deployed)
    {
        var failed = new List<string>();
        foreach (var name in Enumerable.Reverse(deployed))
        {
            if (previous.Functions.FirstOrDefault(f => f.FunctionName == name) is not { } function)
            {
                await _functions!.RemoveAsync(name).ConfigureAwait(false);
                continue;
            }

            var result = await _functions!.DeployAsync(function).ConfigureAwait(false);
            failed.AddRange(result.Problems.Select(p => $"{function.LogicalId}: {p}"));
        }

        if (failed.Count > 0)
        {
            throw new StackDeployException("functions", failed);
        }
    }

    /// <summary>The fabric (all or nothing: a route or table the kernel refuses puts back what it changed); it also writes the runtime model exec and path read.</summary>
    private async Task ApplyFabricAsync(CloudModel model, CancellationToken cancellationToken)
    {
        try
        {
            await _sandbox!.ApplyAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (FabricException exception)
        {
            throw new StackDeployException("network", [exception.Message], exception);
        }
    }

    private void ApplyDns(CloudModel model, Action<DeployEvent> report)
    {
        foreach (var skipped in _dns?.Apply(model) ?? [])
        {
            report(new DeployEvent("dns", "warning", skipped, 0));
        }
    }

    /// <summary>API Gateway's model, and Lambda's own resource-based policies as AddPermission and RemovePermission change them: from the next call.</summary>
    private void ApplyApis(CloudModel model, Action<DeployEvent> report)
    {
        _gateway?.Update(GatewayModelOf(model));
        _invokeApi?.UpdateFunctionPolicies(FunctionPoliciesOf(model, warning => report(new DeployEvent("lambda", "warning", warning, 0))));
    }

    /// <summary>
    /// After every step applied, <c>UPDATE_COMPLETE_CLEANUP_IN_PROGRESS</c>: removed functions stop, removed tables go as
    /// their <c>DeletionPolicy</c> says and the old table of a replaced one as its <c>UpdateReplacePolicy</c> says. As in CloudFormation's cleanup, a deletion that fails (a table's deletion
    /// protection) is <c>DELETE_FAILED</c> with its reason and rolls nothing back: the stack is updated.
    /// </summary>
    private async Task CleanUpAsync(
        CloudModel model, ImmutableArray<StackSummary> running, ImmutableArray<StackSummary> stacks, List<ResourceChange> changes, UpdateRun run, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        run.Stacks("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        var removed = changes.Where(c => c.Action == ChangeAction.Remove).ToList();
        foreach (var change in removed)
        {
            run.Resource(change, "DELETE_IN_PROGRESS");
        }

        foreach (var function in _model.Functions.Where(f => !model.Functions.Any(n => n.FunctionName == f.FunctionName)))
        {
            await _functions!.RemoveAsync(function.FunctionName).ConfigureAwait(false);
        }

        // A replaced table's old one is deleted in the cleanup: its events carry the old physical id, and the resource stays UPDATE_COMPLETE.
        var replaced = changes.Where(c => c.ReplacedPhysicalId is not null && c.ResourceType == TableType).ToList();
        foreach (var change in replaced)
        {
            report(new DeployEvent(change.StackName, "DELETE_IN_PROGRESS", $"{change.LogicalId} ({change.ResourceType}): {change.ReplacedPhysicalId}", 0));
        }

        var failure = await UpdateRun.TryAsync("tables", ct => RemoveTablesAsync(_model, model, RemovedTables(running, stacks, changes), report, ct), cancellationToken).ConfigureAwait(false);
        var failed = failure is null ? [] : UpdateRun.FailedResources([.. removed.Where(c => c.ResourceType == TableType), .. replaced], failure);
        foreach (var change in removed)
        {
            run.Resource(change, failed.TryGetValue(change, out var reason) ? "DELETE_FAILED" : Complete(change, running), reason);
        }

        foreach (var change in replaced)
        {
            var state = failed.ContainsKey(change) ? "DELETE_FAILED" : RunningResource(stacks, change).UpdateReplacePolicy is "Retain" ? "DELETE_SKIPPED" : "DELETE_COMPLETE";
            report(new DeployEvent(change.StackName, state, $"{change.LogicalId} ({change.ResourceType}): {change.ReplacedPhysicalId}" + (failed.TryGetValue(change, out var reason) ? ": " + reason : string.Empty), 0));
        }
    }
}
