namespace Cloister.Network.Reachability;

/// <summary>Why no path exists: the blocking component and an explanation code.</summary>
/// <param name="Code">The explanation code (see <see cref="ExplanationCodes"/>).</param>
/// <param name="ComponentType">The blocking component's resource type.</param>
/// <param name="ComponentId">The blocking component's id.</param>
/// <param name="Direction">"forward" or "return".</param>
/// <param name="Message">A sentence for people.</param>
public sealed record PathExplanation(string Code, string ComponentType, string ComponentId, string Direction, string Message);
