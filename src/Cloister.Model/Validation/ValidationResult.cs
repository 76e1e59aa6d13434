using System.Collections.Immutable;

namespace Cloister.Model.Validation;

/// <summary>The outcome of a validation: every problem found, none left out.</summary>
/// <param name="Problems">The problems, in the order they were found.</param>
public sealed record ValidationResult(ImmutableArray<ValidationProblem> Problems)
{
    /// <summary>A result with no problems.</summary>
    public static ValidationResult Valid { get; } = new(ImmutableArray<ValidationProblem>.Empty);

    /// <summary>Whether nothing was found wrong.</summary>
    public bool IsValid => Problems.IsDefaultOrEmpty;

    /// <summary>Throws <see cref="ModelValidationException"/> carrying every problem when there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ModelValidationException(Problems);
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Problems);
}
