namespace Cloister.Host.Update;

/// <summary>What a deployment does to one resource of a running stack, as a change set lists it.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="LogicalId">The resource's logical id.</param>
/// <param name="ResourceType">Its CloudFormation type (the new one when it changes).</param>
/// <param name="Action"><see cref="ChangeAction.Add"/>, <see cref="ChangeAction.Modify"/> or <see cref="ChangeAction.Remove"/>.</param>
/// <param name="Refusal">Why a running sandbox cannot make the change; null when it can.</param>
internal sealed record ResourceChange(string StackName, string LogicalId, string ResourceType, ChangeAction Action, string? Refusal = null)
{
    /// <summary>What to do about a refused change: rebuild the sandbox, unless the refusal says otherwise.</summary>
    public string Remedy { get; init; } = "./cloister down && ./cloister up";

    /// <summary>
    /// The physical id of the resource this change replaces (a table under a new name), which the cleanup deletes as its
    /// <c>UpdateReplacePolicy</c> says; null when the resource is updated in place, added or removed.
    /// </summary>
    public string? ReplacedPhysicalId { get; init; }

    /// <summary>The refusal as the user reads it: the resource, its type, its stack, what changes and why not, and what to do.</summary>
    public string RefusalLine =>
        $"{LogicalId} ({ResourceType}, stack {StackName}): {Action.ToString().ToLowerInvariant() switch { "add" => "added", "remove" => "removed", _ => "modified" }}; {Refusal}: {Remedy}";
}
