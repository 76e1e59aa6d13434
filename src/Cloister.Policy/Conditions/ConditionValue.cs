using Cloister.Policy.Matching;

namespace Cloister.Policy.Conditions;

/// <summary>
/// One value of a condition, converted once at compile time into the form its operator compares:
/// text (possibly with variables), a number, UTC ticks, a boolean, bytes or a CIDR block. A Bool value
/// with a policy variable stays text, read as true or false when the variable is resolved.
/// </summary>
internal readonly record struct ConditionValue
{
    public TemplateText? Text { get; init; }

    public decimal Number { get; init; }

    public long Ticks { get; init; }

    public bool Flag { get; init; }

    public byte[]? Bytes { get; init; }

    public IpRange Range { get; init; }
}
