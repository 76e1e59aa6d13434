namespace Cloister.Model.Compute;

/// <summary>
/// The second version of a weighted alias (<c>RoutingConfig.AdditionalVersionWeights</c>): an invocation through the
/// alias runs it with probability <paramref name="FunctionWeight"/>, and the alias's own version otherwise.
/// </summary>
/// <param name="FunctionVersion">The additional version's number (never <c>$LATEST</c>, never the alias's own version).</param>
/// <param name="FunctionWeight">The share of the alias's invocations it runs, 0.0 to 1.0.</param>
public sealed record VersionWeight(string FunctionVersion, double FunctionWeight);
