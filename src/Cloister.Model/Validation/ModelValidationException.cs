using System.Collections.Immutable;

namespace Cloister.Model.Validation;

/// <summary>Thrown where an invalid model cannot go on; carries every problem found.</summary>
public sealed class ModelValidationException : Exception
{
    /// <summary>An exception for <paramref name="problems"/>.</summary>
    public ModelValidationException(ImmutableArray<ValidationProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public ImmutableArray<ValidationProblem> Problems { get; }

    private static string Describe(ImmutableArray<ValidationProblem> problems) =>
        problems.Length == 1
            ? problems[0].ToString()
            : $"{problems.Length} problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
}
