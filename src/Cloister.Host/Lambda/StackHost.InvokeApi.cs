using System.Collections.Frozen;
using Cloister.Certificates;
using Cloister.Functions.InvokeApi;
using Cloister.Host.Status;
using Cloister.Model;
using Cloister.Network;
using Cloister.Policy.Resources;

namespace Cloister.Host;

/// <summary>Lambda's Invoke API, as the stack's callers reach Lambda: its regional address and its interface endpoints.</summary>
public sealed partial class StackHost
{
    /// <summary>
    /// Serves Invoke over HTTPS on <c>lambda.{region}.amazonaws.com</c> = 198.18.4.10 (a certificate from the sandbox
    /// CA for that name and address) and on 443 of every ENI of every Lambda interface endpoint (each endpoint's own
    /// certificate; its private DNS, when enabled, points the regional name at those ENIs), authorized as Lambda does:
    /// the callers of the sandbox's credentials, their identity policies, the functions' resource-based policies
    /// (<c>AWS::Lambda::Permission</c>) and the endpoints' policies. Runs after the functions are deployed.
    /// </summary>
    private async Task StartInvokeApiAsync(Sandbox sandbox, SandboxCertificateAuthority authority, CancellationToken cancellationToken)
    {
        var (address, name, https, endpointListeners) = ListenRegionally(sandbox, authority, "lambda", "lambda", "Invoke API");
        var server = await InvokeApiServer.StartAsync(
            new InvokeApiOptions
            {
                HttpsSocket = https,
                EndpointListeners = endpointListeners,
                Certificate = authority.Issue([name], [address]),
                Account = _model.Account,
                VpcOfSubnet = _model.Subnets.ToDictionary(subnet => subnet.Id, subnet => subnet.VpcId, StringComparer.Ordinal),
                LoggerFactory = _loggers,
                Access = StackAccess<LambdaAccess>(sandbox, "lambda", "lambda") with { FunctionPolicies = FunctionPoliciesOf(_model, warning => Report("lambda", "warning", warning)) },
            },
            _functions!,
            cancellationToken).ConfigureAwait(false);
        _owned.Add(server);
        _invokeApi = server;
        _services.Add(new ServiceInfo("lambda", [$"https://{name}", $"{address}:443"], "ok"));
        Done("lambda", $"Invoke API on {name} and {endpointListeners.Count} interface endpoint address(es)");
    }

    /// <summary>
    /// The functions' resource-based policies (<c>AWS::Lambda::Permission</c>s) of <paramref name="model"/>, as the Invoke
    /// API judges them; <paramref name="warn"/> hears of each that does not compile.
    /// </summary>
    private static FrozenDictionary<string, Cloister.Policy.Policy?> FunctionPoliciesOf(CloudModel model, Action<string> warn) =>
        FunctionPolicies.Compile(model.Account, model.Functions, (owner, reason) => warn($"the resource-based policy of {owner} does not compile, so it grants nothing: {reason}"));
}
