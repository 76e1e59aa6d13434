using Cloister.Gateway.Signing;
using Cloister.Gateway.Throttling;
using Cloister.Model.Api;

namespace Cloister.Gateway.Pipeline.AccessControl;

/// <summary>What every catalog version's access control is built with: the long-lived throttle state, the account throttle, the accepted credentials.</summary>
/// <param name="Throttles">Buckets and quota counters kept across catalog swaps.</param>
/// <param name="AccountThrottle">The account-level limits.</param>
/// <param name="Credentials">The SigV4 credentials; empty for the sandbox's own.</param>
/// <param name="Callers">The sandbox's callers by access key id, used instead of <paramref name="Credentials"/> when set.</param>
internal sealed record AccessOptions(ThrottleState Throttles, ThrottleSettings AccountThrottle, IReadOnlyList<GatewayCredential> Credentials, Func<string, Cloister.Policy.CallerIdentity?>? Callers = null);
