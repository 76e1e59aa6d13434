namespace Cloister.Functions.Refusals;

/// <summary>
/// An invocation's members Lambda's model checks with its function's name: <c>X-Amz-Invocation-Type</c> and
/// <c>X-Amz-Log-Type</c> as sent (null or empty when absent); <see cref="Streaming"/> for InvokeWithResponseStream, whose
/// invocation types are RequestResponse and DryRun only.
/// </summary>
internal readonly record struct InvokeMembers(string? InvocationType, string? LogType, bool Streaming = false);
