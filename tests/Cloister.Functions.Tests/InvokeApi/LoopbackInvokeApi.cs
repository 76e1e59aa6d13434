using System.Net;
using Cloister.Functions.InvokeApi;
using Cloister.Functions.Tests.Support;
using Cloister.Model;
using Cloister.Policy;

namespace Cloister.Functions.Tests.InvokeApi;

/// <summary>The options of an Invoke API server the tests start over plain HTTP on loopback port 0, for the test account.</summary>
internal static class LoopbackInvokeApi
{
    /// <summary>Without <see cref="InvokeApiOptions.Access"/>: it invokes for anyone, signed or not.</summary>
    public static InvokeApiOptions Open() => new()
    {
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Account = new AccountContext(TestCallers.Account, TestCallers.Region),
    };

    /// <summary>
    /// Every call signed by a caller <paramref name="callers"/> knows and authorized; every connection an outsider's
    /// (<see cref="ServiceAccess.Origins"/> left as it is), so every call is checked.
    /// </summary>
    public static InvokeApiOptions Signed(Func<string, CallerIdentity?> callers) => Open() with { Access = new LambdaAccess { Callers = callers } };
}
