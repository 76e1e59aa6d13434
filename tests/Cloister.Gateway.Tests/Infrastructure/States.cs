using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Gateway.Catalog;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Routing;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>A request's state as the pipeline would have it at stage <c>dev</c>, for unit tests of what reads it.</summary>
internal static class States
{
    public static RequestState AtStage(
        string method = "GET",
        ImmutableDictionary<string, string>? variables = null,
        FrozenDictionary<string, CompiledGatewayResponse>? gatewayResponses = null,
        string requestId = "6f1c2a4e-0000-4000-8000-000000000001") => new()
        {
            RequestId = requestId,
            ExtendedRequestId = "AbCdEfGhIjKlMnO=",
            RequestTime = DateTimeOffset.UnixEpoch,
            StartTimestamp = 0,
            AccountId = "123456789012",
            HttpMethod = method,
            Protocol = "HTTP/1.1",
            SourceIp = "10.0.1.5",
            VpceId = "vpce-0aaaaaaaaaaaaaaaa",
            VpcId = "vpc-0aaaaaaaaaaaaaaaa",
            Stage = new CompiledStage("dev", "dep0000001", Apis.Api(null), ResourceTree.Build([]), null, variables ?? ImmutableDictionary<string, string>.Empty,
                gatewayResponses ?? FrozenDictionary<string, CompiledGatewayResponse>.Empty, null, "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/"),
        };
}
