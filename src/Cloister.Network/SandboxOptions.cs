using System.Security.Cryptography;
using System.Text;
using Cloister.Model;

namespace Cloister.Network;

/// <summary>How a sandbox is named and where its runtime files live.</summary>
/// <param name="Prefix">The prefix of every namespace name; leftovers with it are removed on the next start or stop.</param>
/// <param name="RuntimeDirectory">Where the sandbox description (<c>sandbox.json</c>), the model and host files go.</param>
/// <param name="CaBundlePath">The CA bundle processes in the sandbox trust, when there is one.</param>
public sealed record SandboxOptions(string Prefix, string RuntimeDirectory, string? CaBundlePath = null)
{
    /// <summary>The options for a state folder: the prefix is <c>cl</c> and a short hash of the folder, so two working
    /// directories never share namespaces and the same folder always finds its leftovers.</summary>
    public static SandboxOptions ForState(StatePaths state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state.Root)))[..6];
        var bundle = Path.Combine(state.CertificateAuthority, "bundle.pem");
        return new SandboxOptions("cl" + hash + "-", state.Runtime, bundle);
    }

    /// <summary>The sandbox description file other processes read.</summary>
    public string DescriptionPath => Path.Combine(RuntimeDirectory, "sandbox.json");

    /// <summary>The model the sandbox was built from (for <c>cloister path</c>).</summary>
    public string ModelPath => Path.Combine(RuntimeDirectory, "model.json");
}
