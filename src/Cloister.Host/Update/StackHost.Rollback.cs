using System.Collections.Immutable;
using Cloister.Host.Control;
using Cloister.Host.Update;
using Cloister.Model;
using Cloister.Templates;

namespace Cloister.Host;

/// <summary>
/// <c>cloister deploy</c>'s steps run in order with CloudFormation's events, and a failed deployment rolled back as
/// CloudFormation rolls back a failed stack update: the failed resource <c>UPDATE_FAILED</c> or <c>CREATE_FAILED</c> with
/// its reason, the stack <c>UPDATE_ROLLBACK_IN_PROGRESS</c>, each step that was applied put back in reverse order (each
/// changed resource <c>UPDATE_IN_PROGRESS</c>, <c>UPDATE_COMPLETE</c>), <c>UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS</c>
/// deleting what the update created, then <c>UPDATE_ROLLBACK_COMPLETE</c>; <c>UPDATE_ROLLBACK_FAILED</c> when a step
/// cannot be put back. With <c>--disable-rollback</c> what was applied stays and the stack is <c>UPDATE_FAILED</c>.
/// </summary>
public sealed partial class StackHost
{
    /// <summary>
    /// Applies <paramref name="steps"/> in order, each changed resource <c>*_COMPLETE</c> once its step has applied; null
    /// when every step applied, else why the deployment failed, after rolling it back unless <paramref name="disableRollback"/>.
    /// </summary>
    private async Task<string?> ApplyStepsAsync(
        List<UpdateStep> steps, List<ResourceChange> changes, bool disableRollback, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        var owned = changes.Where(c => c.Action != ChangeAction.Remove).ToLookup(c => OwnerOf(steps, c.ResourceType));
        var started = new List<UpdateStep>();
        var completed = new HashSet<ResourceChange>();
        foreach (var step in steps)
        {
            started.Add(step);
            if (await TryAsync(step.Phase, step.Apply, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                var failed = FailedResources([.. owned[step].Where(c => !step.AppliedIds.Contains(c.LogicalId))], failure);
                foreach (var change in owned[step].Where(c => step.AppliedIds.Contains(c.LogicalId) && !failed.ContainsKey(c)))
                {
                    ReportComplete(change, report);
                    completed.Add(change);
                }

                ReportFailure([.. changes.Where(c => !completed.Contains(c))], failed, failure, report);
                var stackNames = changes.Select(c => c.StackName).Distinct(StringComparer.Ordinal).ToList();
                var reason = FailureReason(failed.Keys);
                if (disableRollback)
                {
                    SetStackStatus(stackNames, "UPDATE_FAILED", reason, report);
                    return $"The update failed in {failure.Phase}; with --disable-rollback what was applied before it stays and the stacks keep their previous templates (UPDATE_FAILED, see above): deploy again to apply the difference.";
                }

                SetStackStatus(stackNames, "UPDATE_ROLLBACK_IN_PROGRESS", reason, report);
                return await RollBackAsync(started, owned, changes, stackNames, failure.Phase, report, cancellationToken).ConfigureAwait(false);
            }

            foreach (var change in owned[step])
            {
                ReportComplete(change, report);
                completed.Add(change);
            }
        }

        return null;
    }

    /// <summary>
    /// Puts back every step that was started, the failed one first: the running model re-applied (a redeployed function
    /// gets its previous record, a new one stops; the roles, the fabric, DNS, API Gateway and the SSM parameters as they
    /// were), then the cleanup deletes the tables the update created.
    /// </summary>
    private async Task<string> RollBackAsync(
        List<UpdateStep> started, ILookup<UpdateStep, ResourceChange> owned, List<ResourceChange> changes, List<string> stackNames, string phase, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        var notRolledBack = new List<ResourceChange>();
        foreach (var step in Enumerable.Reverse(started))
        {
            var modified = owned[step].Where(c => c.Action == ChangeAction.Modify).ToList();
            foreach (var change in modified)
            {
                ReportResource(change, "UPDATE_IN_PROGRESS", null, report);
            }

            var failure = await TryAsync(step.Phase, step.Undo, cancellationToken).ConfigureAwait(false);
            var failed = failure is null ? [] : FailedResources(modified, failure);
            if (failure is not null && failed.Count == 0)
            {
                ReportProblems(failure, report);
            }

            foreach (var change in modified)
            {
                ReportResource(change, failed.TryGetValue(change, out var reason) ? "UPDATE_FAILED" : "UPDATE_COMPLETE", reason, report);
            }

            notRolledBack.AddRange(failed.Keys);
            if (failure is not null && failed.Count == 0)
            {
                notRolledBack.AddRange(owned[step].Where(c => c.Action == ChangeAction.Add));
            }
        }

        if (notRolledBack.Count > 0)
        {
            SetStackStatus(stackNames, "UPDATE_ROLLBACK_FAILED", FailureReason(notRolledBack), report);
            return $"The update failed in {phase} and so did its rollback (UPDATE_ROLLBACK_FAILED, see above): the stacks keep their previous " +
                "templates, what could not be put back stays; deploy again to apply the difference, or ./cloister down && ./cloister up.";
        }

        SetStackStatus(stackNames, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null, report);
        var added = changes.Where(c => c.Action == ChangeAction.Add).ToList();
        var cleanupFailed = new Dictionary<ResourceChange, string>();
        foreach (var step in Enumerable.Reverse(started).Where(s => s.Cleanup is not null))
        {
            if (await TryAsync(step.Phase, step.Cleanup!, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                foreach (var (change, reason) in FailedResources([.. owned[step].Where(c => c.Action == ChangeAction.Add)], failure))
                {
                    cleanupFailed[change] = reason;
                }
            }
        }

        foreach (var change in added)
        {
            ReportResource(change, "DELETE_IN_PROGRESS", null, report);
            ReportResource(change, cleanupFailed.TryGetValue(change, out var reason) ? "DELETE_FAILED" : "DELETE_COMPLETE", reason, report);
        }

        SetStackStatus(stackNames, "UPDATE_ROLLBACK_COMPLETE", null, report);
        return $"The update failed in {phase} and was rolled back: the stacks run as before it (UPDATE_ROLLBACK_COMPLETE, see above).";
    }

    /// <summary>
    /// After every step applied, <c>UPDATE_COMPLETE_CLEANUP_IN_PROGRESS</c>: removed functions stop and removed tables go as
    /// their <c>DeletionPolicy</c> says. As in CloudFormation's cleanup, a deletion that fails (a table's deletion
    /// protection) is <c>DELETE_FAILED</c> with its reason and rolls nothing back: the stack is updated.
    /// </summary>
    private async Task CleanUpAsync(CloudModel model, ImmutableArray<StackSummary> running, List<ResourceChange> changes, Action<DeployEvent> report, CancellationToken cancellationToken)
    {
        var stackNames = changes.Select(c => c.StackName).Distinct(StringComparer.Ordinal).ToList();
        SetStackStatus(stackNames, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null, report);
        var removed = changes.Where(c => c.Action == ChangeAction.Remove).ToList();
        foreach (var change in removed)
        {
            ReportResource(change, "DELETE_IN_PROGRESS", null, report);
        }

        foreach (var function in _model.Functions.Where(f => !model.Functions.Any(n => n.FunctionName == f.FunctionName)))
        {
            await _functions!.RemoveAsync(function.FunctionName).ConfigureAwait(false);
        }

        var failure = await TryAsync("tables", ct => RemoveTablesAsync(model, RemovedTables(running, changes), report, ct), cancellationToken).ConfigureAwait(false);
        var failed = failure is null ? [] : FailedResources([.. removed.Where(c => c.ResourceType == TableType)], failure);
        foreach (var change in removed)
        {
            ReportResource(change, failed.TryGetValue(change, out var reason) ? "DELETE_FAILED" : Complete(change, running), reason, report);
        }
    }

    /// <summary>The step whose changes a resource type's are; the first (the roles) for types only recorded, such as log groups.</summary>
    private static UpdateStep OwnerOf(List<UpdateStep> steps, string resourceType) =>
        steps.FirstOrDefault(s => s.Covers(resourceType)) ?? steps[0];

    /// <summary>Runs <paramref name="action"/>; its failure as a <see cref="StackDeployException"/> (any other exception but a cancellation too).</summary>
    private static async Task<StackDeployException?> TryAsync(string phase, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (StackDeployException exception)
        {
            return exception;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new StackDeployException(phase, [exception.Message], exception);
        }
    }

    /// <summary>
    /// The resources a step's failure is theirs, with the reason: those its problems name (a problem starts with the
    /// logical id), else every resource of the step, each with every problem.
    /// </summary>
    private static Dictionary<ResourceChange, string> FailedResources(List<ResourceChange> owned, StackDeployException failure)
    {
        var named = owned
            .Select(c => (Change: c, Problems: failure.Problems.Where(p => Names(p, c.LogicalId)).Select(p => p.StartsWith(c.LogicalId + ": ", StringComparison.Ordinal) ? p[(c.LogicalId.Length + 2)..] : p).ToList()))
            .Where(n => n.Problems.Count > 0)
            .ToDictionary(n => n.Change, n => string.Join("; ", n.Problems));
        return named.Count > 0 ? named : owned.ToDictionary(c => c, _ => string.Join("; ", failure.Problems));

        static bool Names(string problem, string logicalId) =>
            problem.StartsWith(logicalId + ": ", StringComparison.Ordinal) || problem.StartsWith(logicalId + " (", StringComparison.Ordinal);
    }

    /// <summary>
    /// The failed resources with their reason; every other resource of <paramref name="pending"/> (still in progress) <c>CREATE_FAILED</c> or
    /// <c>UPDATE_FAILED</c> as cancelled, in CloudFormation's words; the problems themselves when no resource carries them.
    /// </summary>
    private void ReportFailure(List<ResourceChange> pending, Dictionary<ResourceChange, string> failed, StackDeployException failure, Action<DeployEvent> report)
    {
        if (failed.Count == 0)
        {
            ReportProblems(failure, report);
        }

        foreach (var (change, reason) in failed)
        {
            ReportResource(change, change.Action == ChangeAction.Add ? "CREATE_FAILED" : "UPDATE_FAILED", reason, report);
        }

        foreach (var change in pending.Where(c => c.Action != ChangeAction.Remove && !failed.ContainsKey(c)))
        {
            ReportResource(change, change.Action == ChangeAction.Add ? "CREATE_FAILED" : "UPDATE_FAILED", change.Action == ChangeAction.Add ? "Resource creation cancelled" : "Resource update cancelled", report);
        }
    }

    private static void ReportProblems(StackDeployException failure, Action<DeployEvent> report)
    {
        foreach (var problem in failure.Problems)
        {
            report(new DeployEvent(failure.Phase, "failed", problem, 0));
        }
    }

    /// <summary>CloudFormation's status reason of a failed update: <c>The following resource(s) failed to create: [A]. The following resource(s) failed to update: [B].</c></summary>
    private static string FailureReason(IEnumerable<ResourceChange> failed)
    {
        var list = failed.ToList();
        var parts = new[] { (ChangeAction.Add, "create"), (ChangeAction.Modify, "update") }
            .Select(p => (Verb: p.Item2, Ids: list.Where(c => c.Action == p.Item1).Select(c => c.LogicalId).ToList()))
            .Where(p => p.Ids.Count > 0)
            .Select(p => $"The following resource(s) failed to {p.Verb}: [{string.Join(", ", p.Ids)}].");
        return string.Join(" ", parts) is { Length: > 0 } reason ? reason : "The deployment failed; see its problems above.";
    }

    private void ReportComplete(ResourceChange change, Action<DeployEvent> report) =>
        ReportResource(change, change.Action == ChangeAction.Add ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", null, report);

    /// <summary>One resource event (<c>UPDATE_COMPLETE</c>, <c>CREATE_FAILED</c>...) with its reason; what <c>status</c> shows of a resource the stack holds.</summary>
    private void ReportResource(ResourceChange change, string state, string? reason, Action<DeployEvent> report)
    {
        _resourceStatus[(change.StackName, change.LogicalId)] = state;
        report(new DeployEvent(change.StackName, state, $"{change.LogicalId} ({change.ResourceType})" + (reason is null ? string.Empty : ": " + reason), 0));
    }

    /// <summary>The stacks' status, as <c>status</c> and <c>outputs</c> show it, and its event (with CloudFormation's reason when it has one).</summary>
    private void SetStackStatus(List<string> stackNames, string state, string? reason, Action<DeployEvent> report)
    {
        foreach (var stack in stackNames)
        {
            _stackStatus = _stackStatus.SetItem(stack, state);
            report(new DeployEvent(stack, state, $"{stack} (AWS::CloudFormation::Stack)" + (reason is null ? string.Empty : ": " + reason), 0));
        }
    }
}
