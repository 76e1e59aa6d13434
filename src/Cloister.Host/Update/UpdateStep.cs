namespace Cloister.Host.Update;

/// <summary>
/// One step of applying a deployment to the running services (the roles, tables, functions, the fabric, DNS, API
/// Gateway, SSM parameters): which resources of the change set it changes, how it applies the new model, and how a
/// rolled-back deployment puts back the running one, as CloudFormation's UPDATE_ROLLBACK_IN_PROGRESS updates each
/// changed resource back and its cleanup deletes what the update created.
/// </summary>
/// <param name="Phase">The phase its problems are reported under (<c>tables</c>, <c>functions</c>, <c>network</c>...).</param>
/// <param name="Covers">Whether a resource type's changes are this step's.</param>
/// <param name="Apply">Applies the new model; throws <see cref="StackDeployException"/> with one problem per line, each
/// starting with the resource's logical id where the step knows it.</param>
/// <param name="Undo">Puts the running model back for what <paramref name="Apply"/> changed, also when it failed part-way;
/// throws <see cref="StackDeployException"/> when it cannot.</param>
/// <param name="Cleanup">The rollback's cleanup: deletes what <paramref name="Apply"/> created (tables); null when the
/// undo already did all.</param>
internal sealed record UpdateStep(
    string Phase,
    Func<string, bool> Covers,
    Func<CancellationToken, Task> Apply,
    Func<CancellationToken, Task> Undo,
    Func<CancellationToken, Task>? Cleanup = null)
{
    /// <summary>
    /// The logical ids of the resources <see cref="Apply"/> has applied so far, for a step that applies them one by one
    /// (functions): when it fails part-way, those are <c>*_COMPLETE</c> and the others of the step cancelled.
    /// </summary>
    public IReadOnlyCollection<string> AppliedIds { get; init; } = [];
}
