using Cloister.Host.Control;

namespace Cloister.Host.Update;

/// <summary>
/// One deployment's steps run in order with CloudFormation's events, and a failed deployment rolled back as
/// CloudFormation rolls back a failed stack update: the failed resource <c>UPDATE_FAILED</c> or <c>CREATE_FAILED</c> with
/// its reason (the others still in progress cancelled), the stack <c>UPDATE_ROLLBACK_IN_PROGRESS</c>, each step that was
/// started put back in reverse order (each modified resource <c>UPDATE_IN_PROGRESS</c>, <c>UPDATE_COMPLETE</c>),
/// <c>UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS</c> deleting what the update created (the new resource of a replacement
/// too), then <c>UPDATE_ROLLBACK_COMPLETE</c>; <c>UPDATE_ROLLBACK_FAILED</c> when a step cannot be put back. With rollback disabled
/// what was applied stays and the stacks are <c>UPDATE_FAILED</c>.
/// </summary>
/// <param name="changes">The change set (every action; removals are the cleanup's, after the steps).</param>
/// <param name="report">Where each event goes.</param>
/// <param name="resourceStatus">Records a resource's status, as <c>status</c> shows it.</param>
/// <param name="stackStatus">Records a stack's status, as <c>status</c> and <c>outputs</c> show it.</param>
internal sealed class UpdateRun(
    List<ResourceChange> changes, Action<DeployEvent> report, Action<ResourceChange, string> resourceStatus, Action<string, string> stackStatus)
{
    /// <summary>CloudFormation's reason on the <c>UPDATE_IN_PROGRESS</c> of a resource its update replaces.</summary>
    private const string Replacing = "Requested update requires the creation of a new physical resource; hence creating one.";

    private readonly List<string> _stackNames = [.. changes.Select(c => c.StackName).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Applies <paramref name="steps"/> in order, each changed resource <c>*_COMPLETE</c> once its step has applied; null
    /// when every step applied, else why the deployment failed, after rolling it back unless <paramref name="disableRollback"/>.
    /// </summary>
    public async Task<string?> ApplyAsync(List<UpdateStep> steps, bool disableRollback, CancellationToken cancellationToken)
    {
        Stacks("UPDATE_IN_PROGRESS", "User Initiated");
        var owned = changes.Where(c => c.Action != ChangeAction.Remove).ToLookup(c => steps.FirstOrDefault(s => s.Covers(c.ResourceType)) ?? steps[0]);
        foreach (var change in changes.Where(c => c.Action != ChangeAction.Remove))
        {
            Resource(change, change.Action == ChangeAction.Add ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", change.ReplacedPhysicalId is null ? null : Replacing);
        }

        var started = new List<UpdateStep>();
        var completed = new HashSet<ResourceChange>();
        foreach (var step in steps)
        {
            started.Add(step);
            if (await TryAsync(step.Phase, step.Apply, cancellationToken).ConfigureAwait(false) is not { } failure)
            {
                Complete(owned[step], completed);
                continue;
            }

            var failed = FailedResources([.. owned[step].Where(c => !step.AppliedIds.Contains(c.LogicalId))], failure);
            Complete(owned[step].Where(c => step.AppliedIds.Contains(c.LogicalId) && !failed.ContainsKey(c)), completed);
            ReportFailure([.. changes.Where(c => !completed.Contains(c))], failed, failure);
            if (disableRollback)
            {
                Stacks("UPDATE_FAILED", FailureReason(failed.Keys));
                return $"The update failed in {failure.Phase}; with --disable-rollback what was applied before it stays and the stacks keep " +
                    "their previous templates (UPDATE_FAILED, see above): deploy again to apply the difference.";
            }

            Stacks("UPDATE_ROLLBACK_IN_PROGRESS", FailureReason(failed.Keys));
            return await RollBackAsync(steps, started, owned, failure.Phase, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>One resource event (<c>UPDATE_COMPLETE</c>, <c>CREATE_FAILED</c>...) with its reason, and its status.</summary>
    public void Resource(ResourceChange change, string state, string? reason = null)
    {
        resourceStatus(change, state);
        report(new DeployEvent(change.StackName, state, $"{change.LogicalId} ({change.ResourceType})" + (reason is null ? string.Empty : ": " + reason), 0));
    }

    /// <summary>The changed stacks' status and its event, with CloudFormation's reason when it has one.</summary>
    public void Stacks(string state, string? reason = null)
    {
        foreach (var stack in _stackNames)
        {
            stackStatus(stack, state);
            report(new DeployEvent(stack, state, $"{stack} (AWS::CloudFormation::Stack)" + (reason is null ? string.Empty : ": " + reason), 0));
        }
    }

    /// <summary>Runs <paramref name="action"/>; its failure as a <see cref="StackDeployException"/> (any other exception but a cancellation too).</summary>
    public static async Task<StackDeployException?> TryAsync(string phase, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
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
    /// The resources a failure is theirs, with the reason: those its problems name (a problem starting with the logical
    /// id, which is then left out of the reason), else every one of <paramref name="owned"/>, each with every problem.
    /// </summary>
    public static Dictionary<ResourceChange, string> FailedResources(List<ResourceChange> owned, StackDeployException failure)
    {
        var named = owned
            .Select(c => (Change: c, Problems: failure.Problems.Where(p => Names(p, c.LogicalId)).Select(p => p.StartsWith(c.LogicalId + ": ", StringComparison.Ordinal) ? p[(c.LogicalId.Length + 2)..] : p).ToList()))
            .Where(n => n.Problems.Count > 0)
            .ToDictionary(n => n.Change, n => string.Join("; ", n.Problems));
        return named.Count > 0 ? named : owned.ToDictionary(c => c, _ => string.Join("; ", failure.Problems));

        static bool Names(string problem, string logicalId) =>
            problem.StartsWith(logicalId + ": ", StringComparison.Ordinal) || problem.StartsWith(logicalId + " (", StringComparison.Ordinal);
    }

    /// <summary>CloudFormation's status reason of a failed update: <c>The following resource(s) failed to create: [A]. The following resource(s) failed to update: [B].</c></summary>
    public static string FailureReason(IEnumerable<ResourceChange> failed)
    {
        var list = failed.ToList();
        var parts = new[] { (Action: ChangeAction.Add, Verb: "create"), (Action: ChangeAction.Modify, Verb: "update") }
            .Select(p => (p.Verb, Ids: list.Where(c => c.Action == p.Action).Select(c => c.LogicalId).ToList()))
            .Where(p => p.Ids.Count > 0)
            .Select(p => $"The following resource(s) failed to {p.Verb}: [{string.Join(", ", p.Ids)}].");
        return string.Join(" ", parts) is { Length: > 0 } reason ? reason : "The deployment failed; see its problems above.";
    }

    /// <summary>
    /// Puts back every step that was started, the failed one first (<see cref="UpdateStep.Undo"/>), then, unless one could
    /// not be put back, the cleanup deletes what the update created (<see cref="UpdateStep.Cleanup"/>). A modified
    /// resource of a step never started (cancelled) had nothing applied: it is reported back as the others are.
    /// </summary>
    private async Task<string> RollBackAsync(List<UpdateStep> steps, List<UpdateStep> started, ILookup<UpdateStep, ResourceChange> owned, string phase, CancellationToken cancellationToken)
    {
        var notRolledBack = new List<ResourceChange>();
        var rollbackFailed = false;
        foreach (var step in Enumerable.Reverse(steps))
        {
            var modified = owned[step].Where(c => c.Action == ChangeAction.Modify).ToList();
            foreach (var change in modified)
            {
                Resource(change, "UPDATE_IN_PROGRESS");
            }

            var failure = started.Contains(step) ? await TryAsync(step.Phase, step.Undo, cancellationToken).ConfigureAwait(false) : null;
            var failed = failure is null ? [] : FailedResources(modified, failure);
            if (failure is not null && failed.Count == 0)
            {
                ReportProblems(failure);
            }

            foreach (var change in modified)
            {
                Resource(change, failed.TryGetValue(change, out var reason) ? "UPDATE_FAILED" : "UPDATE_COMPLETE", reason);
            }

            rollbackFailed |= failure is not null;
            notRolledBack.AddRange(failed.Keys);
        }

        if (rollbackFailed)
        {
            Stacks("UPDATE_ROLLBACK_FAILED", FailureReason(notRolledBack));
            return $"The update failed in {phase} and so did its rollback (UPDATE_ROLLBACK_FAILED, see above): the stacks keep their previous " +
                "templates, what could not be put back stays; deploy again to apply the difference, or ./cloister down && ./cloister up.";
        }

        Stacks("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        var cleanupFailed = new Dictionary<ResourceChange, string>();
        foreach (var step in Enumerable.Reverse(started).Where(s => s.Cleanup is not null))
        {
            if (await TryAsync(step.Phase, step.Cleanup!, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                foreach (var (change, reason) in FailedResources([.. owned[step].Where(c => c.Action == ChangeAction.Add || c.ReplacedPhysicalId is not null)], failure))
                {
                    cleanupFailed[change] = reason;
                }
            }
        }

        foreach (var change in changes.Where(c => c.Action == ChangeAction.Add))
        {
            Resource(change, "DELETE_IN_PROGRESS");
            Resource(change, cleanupFailed.TryGetValue(change, out var reason) ? "DELETE_FAILED" : "DELETE_COMPLETE", reason);
        }

        // The new resource of a replacement goes too; the resource, its old physical one again, stays UPDATE_COMPLETE.
        foreach (var change in changes.Where(c => c.ReplacedPhysicalId is not null))
        {
            report(new DeployEvent(change.StackName, "DELETE_IN_PROGRESS", $"{change.LogicalId} ({change.ResourceType})", 0));
            report(new DeployEvent(change.StackName, cleanupFailed.TryGetValue(change, out var reason) ? "DELETE_FAILED" : "DELETE_COMPLETE", $"{change.LogicalId} ({change.ResourceType})" + (reason is null ? string.Empty : ": " + reason), 0));
        }

        Stacks("UPDATE_ROLLBACK_COMPLETE");
        return $"The update failed in {phase} and was rolled back: the stacks run as before it (UPDATE_ROLLBACK_COMPLETE, see above).";
    }

    private void Complete(IEnumerable<ResourceChange> applied, HashSet<ResourceChange> completed)
    {
        foreach (var change in applied)
        {
            Resource(change, change.Action == ChangeAction.Add ? "CREATE_COMPLETE" : "UPDATE_COMPLETE");
            completed.Add(change);
        }
    }

    /// <summary>
    /// The failed resources with their reason; every other resource of <paramref name="pending"/> (still in progress)
    /// <c>CREATE_FAILED</c> or <c>UPDATE_FAILED</c> as cancelled, in CloudFormation's words; the problems themselves when
    /// no resource carries them.
    /// </summary>
    private void ReportFailure(List<ResourceChange> pending, Dictionary<ResourceChange, string> failed, StackDeployException failure)
    {
        if (failed.Count == 0)
        {
            ReportProblems(failure);
        }

        foreach (var (change, reason) in failed)
        {
            Resource(change, change.Action == ChangeAction.Add ? "CREATE_FAILED" : "UPDATE_FAILED", reason);
        }

        foreach (var change in pending.Where(c => c.Action != ChangeAction.Remove && !failed.ContainsKey(c)))
        {
            Resource(change, change.Action == ChangeAction.Add ? "CREATE_FAILED" : "UPDATE_FAILED", change.Action == ChangeAction.Add ? "Resource creation cancelled" : "Resource update cancelled");
        }
    }

    private void ReportProblems(StackDeployException failure)
    {
        foreach (var problem in failure.Problems)
        {
            report(new DeployEvent(failure.Phase, "failed", problem, 0));
        }
    }
}
