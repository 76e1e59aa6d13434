using Cloister.Gateway.Ports;

namespace Cloister.Gateway.Bench;

/// <summary>Allows everything: the benchmark measures the gateway, not a policy engine.</summary>
internal sealed class AllowAll : IExecuteApiAuthorizer, IExecuteApiPolicy
{
    public IExecuteApiPolicy Compile(string policyDocument, string resourceArn) => this;

    public PolicyDecision Evaluate(AuthorizationRequest request) => PolicyDecision.Allow;
}
