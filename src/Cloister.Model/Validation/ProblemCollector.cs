using System.Collections.Immutable;
using Cloister.Model.Network;

namespace Cloister.Model.Validation;

/// <summary>
/// Gathers problems while a validator walks a model, so that one pass reports all of them.
/// The checks return whether they passed, so a validator can skip checks that depend on them.
/// </summary>
public sealed class ProblemCollector
{
    private readonly ImmutableArray<ValidationProblem>.Builder _problems = ImmutableArray.CreateBuilder<ValidationProblem>();

    /// <summary>How many problems have been found so far.</summary>
    public int Count => _problems.Count;

    /// <summary>Records a problem.</summary>
    public void Add(string resource, string property, string message, SourceLocation? location = null) =>
        _problems.Add(new ValidationProblem(resource, property, message, location));

    /// <summary>Records every problem of another result.</summary>
    public void AddRange(ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _problems.AddRange(result.Problems);
    }

    /// <summary>Records a problem unless <paramref name="condition"/> holds.</summary>
    public bool Require(bool condition, string resource, string property, string message)
    {
        if (!condition)
        {
            Add(resource, property, message);
        }

        return condition;
    }

    /// <summary>Records a problem when <paramref name="value"/> is null or empty.</summary>
    public bool RequireValue(string? value, string resource, string property) =>
        Require(!string.IsNullOrEmpty(value), resource, property, "is required.");

    /// <summary>Records a problem unless <paramref name="value"/> is a CIDR block of the address family wanted.</summary>
    public bool RequireCidr(string? value, string resource, string property, bool ipv4Only = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(resource, property, "is required.");
            return false;
        }

        if (!CidrText.IsWellFormed(value, out var network))
        {
            Add(resource, property, $"'{value}' is not a CIDR block.");
            return false;
        }

        if (ipv4Only && network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            Add(resource, property, $"'{value}' is not an IPv4 CIDR block.");
            return false;
        }

        return true;
    }

    /// <summary>The result: every problem recorded.</summary>
    public ValidationResult ToResult() => _problems.Count == 0 ? ValidationResult.Valid : new ValidationResult(_problems.ToImmutable());
}
