namespace Cloister.Gateway.Ports;

/// <summary>A policy document compiled once (when a deployment or endpoint is loaded) and evaluated per request.</summary>
public interface IExecuteApiPolicy
{
    /// <summary>Evaluates the policy for one request. Must be thread-safe and must not throw for any request.</summary>
    PolicyDecision Evaluate(AuthorizationRequest request);
}
