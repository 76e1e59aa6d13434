using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Catalog;

/// <summary>Stands in for a policy that failed to compile: nothing is allowed through it.</summary>
internal sealed class DenyAllPolicy : IExecuteApiPolicy
{
    public static DenyAllPolicy Instance { get; } = new();

    public PolicyDecision Evaluate(AuthorizationRequest request) => PolicyDecision.ImplicitDeny;
}
