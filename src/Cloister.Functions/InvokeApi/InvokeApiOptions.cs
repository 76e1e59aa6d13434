using System.Net;
using Cloister.Functions.Hosting;

namespace Cloister.Functions.InvokeApi;

/// <summary>Where Lambda's Invoke API listens and who may call it.</summary>
public sealed record InvokeApiOptions : HostedServerOptions
{
    /// <summary>An address to serve plain HTTP on (port 0 picks a free one), as <c>--endpoint-url http://...</c> reaches it.</summary>
    public IPEndPoint? HttpEndPoint { get; init; }

    /// <summary>
    /// The VPC of each subnet (subnet id to VPC id), so GetFunction and ListFunctions give a function in a VPC its
    /// <c>VpcConfig.VpcId</c>; a subnet not in it leaves <c>VpcId</c> out.
    /// </summary>
    public IReadOnlyDictionary<string, string> VpcOfSubnet { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Who may invoke (see <see cref="LambdaAccess"/>); null: anyone may, as a local Lambda does.</summary>
    public LambdaAccess? Access { get; init; }
}
