namespace Cloister.Functions.Ssm;

/// <summary>
/// One of the stack's EC2 instances as Run Command sees it: its id and its tags (the template's <c>Tags</c>), which
/// SendCommand's <c>Targets</c> are resolved against.
/// </summary>
public sealed record SsmInstance(string InstanceId, IReadOnlyDictionary<string, string> Tags);
