using Cloister.Gateway.Catalog;
using Cloister.Gateway.Pipeline;
using Cloister.Gateway.Responses;
using Cloister.Model.Api;

namespace Cloister.Gateway.Domains;

/// <summary>
/// Routes a request whose Host is a custom domain name: a STRICT name only when the SNI names it too, a private name only
/// through an endpoint associated with it (403 otherwise, spec §6), then the base path mapping (one level) to the API and stage.
/// Through an endpoint only private APIs answer; at the Region's front end only a REGIONAL name's public APIs do.
/// </summary>
internal static class DomainRouter
{
    /// <summary>Whether <paramref name="host"/> names a custom domain; if so, <paramref name="error"/> is the refusal or null when routed.</summary>
    public static bool TryRoute(GatewayCatalog catalog, RequestState state, string host, List<string> segments, out GatewayError? error)
    {
        error = null;
        if (catalog.Domains.Count == 0)
        {
            return false;
        }

        var name = StripPort(host).TrimEnd('.').ToLowerInvariant();
        if (!catalog.Domains.TryGetValue(name, out var domain))
        {
            return false;
        }

        state.Domain = domain;
        state.CustomDomainPath = "/" + string.Join('/', segments);
        state.DomainName = name;

        // STRICT endpoint access: API Gateway matches the SNI to the host, and refuses the request otherwise (no SNI included).
        if (domain.Strict && !string.Equals(state.ServerName, name, StringComparison.OrdinalIgnoreCase))
        {
            error = GatewayError.Forbidden;
            return true;
        }

        // The regional front end knows the Region's REGIONAL names only: a private name is reached through endpoints, an
        // edge-optimized one through its CloudFront distribution.
        if ((domain.IsPrivate && (state.Regional || !domain.Endpoints.Contains(state.VpceId))) || (state.Regional && domain.IsEdge))
        {
            error = GatewayError.Forbidden;
            return true;
        }

        BasePathTarget? target = null;
        if (segments.Count > 0 && domain.BasePaths.TryGetValue(segments[0], out target))
        {
            state.BasePathMatched = segments[0];
            segments.RemoveAt(0);
        }
        else if (domain.BasePaths.TryGetValue(string.Empty, out target))
        {
            state.BasePathMatched = "(none)";
        }

        if (target is null || !catalog.Apis.TryGetValue(target.ApiId, out var api)
            || (domain.IsPrivate && api.EndpointType != EndpointType.Private))
        {
            error = GatewayError.Forbidden;
            return true;
        }

        if ((api.EndpointType == EndpointType.Private) == state.Regional)
        {
            // A public API is not reachable through a VPC endpoint, whatever name the client used; nor a private API at
            // the Region's front end, whatever name is mapped to it.
            error = GatewayError.Forbidden;
            return true;
        }

        var stageName = target.Stage;
        if (stageName is null)
        {
            if (segments.Count == 0)
            {
                error = GatewayError.MissingAuthenticationToken;
                return true;
            }

            stageName = segments[0];
            segments.RemoveAt(0);
        }

        if (!api.Stages.TryGetValue(stageName, out var stage))
        {
            error = GatewayError.Forbidden;
            return true;
        }

        state.ApiId = api.Id;
        state.Stage = stage;
        state.Path = "/" + string.Join('/', segments);
        state.Route = stage.Tree.Match(segments, state.HttpMethod);
        error = state.Route is null ? GatewayError.MissingAuthenticationToken : null;
        return true;
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon ? host[..colon] : host;
    }
}
