using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Cloister.Model;
using PolicyDocument = Cloister.Policy.Policy;

namespace Cloister.Host.Endpoints;

/// <summary>
/// The policies of the VPC endpoints of one or more services (vpce id → compiled policy), as a regional service reads
/// them on every call (<see cref="Cloister.Policy.ServiceAccess.EndpointPolicies"/>). Compiled whole from a model and
/// swapped whole, so a deployment's endpoint policy change is seen from the next request and a request never sees half
/// of one. An endpoint without a policy is absent: AWS's default policy allows everything.
/// </summary>
internal sealed class EndpointPolicyTable : IReadOnlyDictionary<string, PolicyDocument>
{
    private readonly string[] _services;
    private volatile FrozenDictionary<string, PolicyDocument> _policies = FrozenDictionary<string, PolicyDocument>.Empty;

    /// <summary>A table of the endpoints of <paramref name="services"/> (short names, such as <c>dynamodb</c>), reported in <paramref name="phase"/>.</summary>
    public EndpointPolicyTable(string phase, string[] services)
    {
        Phase = phase;
        _services = services;
    }

    /// <summary>Where a policy that does not compile is reported (the phase of the service that reads the table).</summary>
    public string Phase { get; }

    /// <inheritdoc/>
    public int Count => _policies.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _policies.Keys;

    /// <inheritdoc/>
    public IEnumerable<PolicyDocument> Values => _policies.Values;

    /// <inheritdoc/>
    public PolicyDocument this[string key] => _policies[key];

    /// <summary>
    /// Compiles the policies of <paramref name="model"/>'s endpoints of the table's services and swaps them in; one that
    /// does not compile denies everything and is reported to <paramref name="warn"/> (endpoint, id, why).
    /// </summary>
    public void Apply(CloudModel model, Action<string> warn)
    {
        var policies = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal);
        foreach (var endpoint in model.VpcEndpoints.Where(e => _services.Contains(e.ServiceShortName, StringComparer.Ordinal) && e.PolicyDocument is not null))
        {
            var parsed = PolicyDocument.Parse(endpoint.PolicyDocument, Cloister.Policy.PolicyParseOptions.ForVpcEndpoint);
            if (!parsed.IsValid)
            {
                warn($"the policy of {endpoint.LogicalId} ({endpoint.Id}) does not compile, so it denies everything: {parsed.ErrorMessage}");
            }

            policies[endpoint.Id] = parsed.Policy ?? PolicyDocument.DenyAll;
        }

        _policies = policies.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _policies.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out PolicyDocument value) => _policies.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, PolicyDocument>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, PolicyDocument>>)_policies).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
