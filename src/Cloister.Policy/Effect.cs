namespace Cloister.Policy;

/// <summary>The Effect of a statement.</summary>
public enum Effect
{
    /// <summary>The statement allows what it matches.</summary>
    Allow,

    /// <summary>The statement denies what it matches, whatever else allows it.</summary>
    Deny,
}
