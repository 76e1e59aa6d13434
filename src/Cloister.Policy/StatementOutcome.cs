namespace Cloister.Policy;

/// <summary>How one statement fared against a request.</summary>
/// <param name="Index">The statement's index in document order.</param>
/// <param name="Sid">Its Sid, when it has one.</param>
/// <param name="Effect">Its Effect.</param>
/// <param name="Applies">Whether it applied to the request.</param>
/// <param name="Reason">Why it did or did not apply, for a person.</param>
public sealed record StatementOutcome(int Index, string? Sid, Effect Effect, bool Applies, string Reason)
{
    /// <summary>The statement's name for messages: its Sid, or <c>Statement[i]</c>.</summary>
    public string Name => Sid ?? $"Statement[{Index}]";
}
