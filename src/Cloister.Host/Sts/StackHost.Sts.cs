using Cloister.Certificates;
using Cloister.Functions.Sts;
using Cloister.Host.Status;
using Cloister.Network;

namespace Cloister.Host;

/// <summary>The sandbox's STS, as the stack's callers reach it: its regional address and its interface endpoints.</summary>
public sealed partial class StackHost
{
    /// <summary>
    /// Serves STS's Query API over HTTPS on <c>sts.{region}.amazonaws.com</c> = 198.18.3.10, which the sandbox's
    /// resolvers also answer for the global <c>sts.amazonaws.com</c> (a certificate from the sandbox CA for both names and
    /// the address): <c>GetCallerIdentity</c> and <c>AssumeRole</c> (sessions of the templates' roles, limited by the session policies passed) for the callers of the stack's credentials (each function's and instance
    /// profile's role session, the account's root). A VPC reaches it as it reaches any regional address, by a NAT or
    /// internet gateway route, or through an STS interface endpoint: HTTPS 443 on each of its ENIs with the endpoint's own
    /// certificate (its private DNS, when enabled, points the regional name at them). No endpoint policy is read:
    /// GetCallerIdentity needs no permission.
    /// </summary>
    private async Task StartStsAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var (address, name, https, endpointListeners) = ListenRegionally(sandbox, authority, "sts", "sts", "STS");
        var global = $"sts.{_model.Account.UrlSuffix}";
        var server = await StsServer.StartAsync(
            new StsOptions
            {
                HttpsSocket = https,
                EndpointListeners = endpointListeners,
                Certificate = authority.Issue([name, global], [address]),
                Account = _model.Account,
                Callers = _callers!.Find,
                AssumeRole = _callers.AssumeRole,
                LoggerFactory = _loggers,
            },
            cancellationToken).ConfigureAwait(false);
        _owned.Add(server);
        _services.Add(new ServiceInfo("sts", [$"https://{name}", $"https://{global}", $"{address}:443"], "ok"));
        Done("sts", $"GetCallerIdentity and AssumeRole on {name}, {global} and {endpointListeners.Count} interface endpoint address(es)");
    }
}
