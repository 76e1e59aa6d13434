using Cloister.Gateway.Ports;
using Cloister.Model.Arns;
using Cloister.Policy;
using PortDecision = Cloister.Gateway.Ports.PolicyDecision;

namespace Cloister.Gateway.Authorization;

/// <summary>
/// The gateway's authorization port filled by <see cref="Cloister.Policy"/>: resource and endpoint
/// policies are compiled once per deployment and evaluated with the IAM semantics of the policy module.
/// </summary>
public sealed class IamPolicyAuthorizer : IExecuteApiAuthorizer
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The document is not a valid policy; the message is MalformedPolicyDocument's.</exception>
    public IExecuteApiPolicy Compile(string policyDocument, string resourceArn)
    {
        // A resource policy comes with the API's ARN ("...:{api-id}/*"), which the shorthand
        // execute-api:/{stage}/{METHOD}/{path} expands against; an endpoint policy with the endpoint's.
        var options = Arn.TryParse(resourceArn, out var arn) && arn.Service == ExecuteApiArn.Service
            ? PolicyParseOptions.ForApi(new ExecuteApiScope(arn.Region, arn.Account, arn.Resource.Split('/')[0], arn.Partition))
            : PolicyParseOptions.Default;
        var parsed = Cloister.Policy.Policy.Parse(policyDocument, options);
        return parsed.Policy is { } policy ? new CompiledPolicy(policy) : throw new ArgumentException(parsed.ErrorMessage, nameof(policyDocument));
    }

    private sealed class CompiledPolicy(Cloister.Policy.Policy policy) : IExecuteApiPolicy
    {
        // One context per thread, reset per request: evaluation itself allocates nothing.
        [ThreadStatic]
        private static RequestContext? _threadContext;

        public PortDecision Evaluate(AuthorizationRequest request)
        {
            var context = _threadContext ??= new RequestContext();
            context.Reset();
            context.Action = request.Action;
            context.Resource = request.Resource;
            foreach (var (key, value) in request.Context)
            {
                if (value.Length > 0)
                {
                    context.Set(key, value);
                }
            }

            return policy.Evaluate(context).Decision switch
            {
                Decision.Allow => PortDecision.Allow,
                Decision.ExplicitDeny => PortDecision.ExplicitDeny,
                _ => PortDecision.ImplicitDeny,
            };
        }
    }
}
