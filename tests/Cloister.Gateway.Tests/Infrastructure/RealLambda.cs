using System.Collections.Immutable;
using Cloister.Functions;
using Cloister.Gateway.Lambda;
using Cloister.Model;
using Cloister.Model.Compute;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>
/// The real Lambda service behind the gateway's port: Node.js functions run as processes over the Runtime API,
/// with their state in a temporary folder removed on dispose.
/// </summary>
internal sealed class RealLambda : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloister-gateway-lambda-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LambdaService _functions;

    public RealLambda() =>
        _functions = new LambdaService(new FunctionsOptions { State = new StatePaths(_root), Account = new AccountContext(Apis.Account, Apis.Region) });

    /// <summary>The gateway's Lambda port over this service.</summary>
    public FunctionsLambdaInvoker Invoker => new(_functions);

    /// <summary>Deploys a Node.js 20 function <paramref name="name"/> whose <c>index.js</c> is <paramref name="source"/>.</summary>
    public async Task DeployNodeAsync(string name, string source)
    {
        var result = await _functions.DeployAsync(new LambdaFunction(
            name, name, "nodejs20.x", "index.handler", null, source, 256, 10, ImmutableDictionary<string, string>.Empty, null, null));
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
    }

    /// <summary>Deploys <paramref name="function"/> as the model gives it, with its versions and aliases.</summary>
    public async Task DeployAsync(LambdaFunction function)
    {
        var result = await _functions.DeployAsync(function);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
    }

    public async ValueTask DisposeAsync()
    {
        await _functions.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
