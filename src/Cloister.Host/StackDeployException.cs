using System.Collections.Immutable;

namespace Cloister.Host;

/// <summary>The stacks could not be brought up; <see cref="Problems"/> says why, one line each.</summary>
public sealed class StackDeployException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StackDeployException(string phase, IEnumerable<string> problems)
        : this(phase, [.. problems], null)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StackDeployException(string phase, ImmutableArray<string> problems, Exception? inner)
        : base($"{phase}: {string.Join("; ", problems)}", inner)
    {
        Phase = phase;
        Problems = problems;
    }

    /// <summary>The phase that failed (<c>templates</c>, <c>network</c>, <c>functions</c>...).</summary>
    public string Phase { get; }

    /// <summary>Every problem found.</summary>
    public ImmutableArray<string> Problems { get; }
}
