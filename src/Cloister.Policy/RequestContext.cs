using Cloister.Policy.Evaluation;

namespace Cloister.Policy;

/// <summary>
/// What a policy is evaluated against: the action, the resource ARN, the caller and the condition keys
/// of one request. The gateway and the tables service fill one from the real connection (endpoint, VPC,
/// client address, TLS, headers, time) and may reuse it across requests with <see cref="Reset"/>, or by
/// setting again the keys that change (setting a multi-valued key again reuses its list). Evaluation only
/// reads it. Not thread-safe: one context per request in flight.
/// </summary>
public sealed class RequestContext
{
    private readonly string?[] _known = new string?[ContextKey.KnownCount];
    private Dictionary<string, List<string>>? _custom;

    /// <summary>The custom keys given as lists (<see cref="Add"/>, <see cref="SetEmpty"/>): multivalued even with one value.</summary>
    private HashSet<string>? _listed;

    /// <summary>The action requested, such as <c>execute-api:Invoke</c> (matched case-insensitively).</summary>
    public string Action { get; set; } = "execute-api:Invoke";

    /// <summary>The ARN of the resource requested, such as <c>arn:aws:execute-api:eu-west-1:111122223333:abc123/dev/GET/hello</c>.</summary>
    public string Resource { get; set; } = string.Empty;

    /// <summary>The caller; anonymous unless the request was authenticated.</summary>
    public RequestPrincipal Principal { get; set; } = RequestPrincipal.Anonymous;

    /// <summary>The time of the request: <c>aws:CurrentTime</c> and <c>aws:EpochTime</c>. Absent when null.</summary>
    public DateTimeOffset? RequestTime { get; set; }

    /// <summary><c>aws:SecureTransport</c>: whether the request came over TLS. Absent when null.</summary>
    public bool? SecureTransport { get; set; }

    /// <summary><c>aws:SourceVpce</c>: the VPC endpoint the request came through.</summary>
    public string? SourceVpce { get => _known[(int)KnownKey.SourceVpce]; set => _known[(int)KnownKey.SourceVpce] = value; }

    /// <summary><c>aws:SourceVpc</c>: the VPC the request came from.</summary>
    public string? SourceVpc { get => _known[(int)KnownKey.SourceVpc]; set => _known[(int)KnownKey.SourceVpc] = value; }

    /// <summary><c>aws:VpcSourceIp</c>: the client's address in its VPC.</summary>
    public string? VpcSourceIp { get => _known[(int)KnownKey.VpcSourceIp]; set => _known[(int)KnownKey.VpcSourceIp] = value; }

    /// <summary><c>aws:SourceIp</c>: the client's address as API Gateway sees it.</summary>
    public string? SourceIp { get => _known[(int)KnownKey.SourceIp]; set => _known[(int)KnownKey.SourceIp] = value; }

    /// <summary><c>aws:UserAgent</c>: the User-Agent header.</summary>
    public string? UserAgent { get => _known[(int)KnownKey.UserAgent]; set => _known[(int)KnownKey.UserAgent] = value; }

    /// <summary><c>aws:Referer</c>: the Referer header.</summary>
    public string? Referer { get => _known[(int)KnownKey.Referer]; set => _known[(int)KnownKey.Referer] = value; }

    /// <summary><c>aws:SourceArn</c>: the resource a service called on behalf of.</summary>
    public string? SourceArn { get => _known[(int)KnownKey.SourceArn]; set => _known[(int)KnownKey.SourceArn] = value; }

    /// <summary><c>aws:userid</c>: the caller's unique id (<c>{role id}:{session}</c> for a role session).</summary>
    public string? UserId { get => _known[(int)KnownKey.UserId]; set => _known[(int)KnownKey.UserId] = value; }

    /// <summary><c>aws:RequestedRegion</c>: the region the request was made to.</summary>
    public string? RequestedRegion { get => _known[(int)KnownKey.RequestedRegion]; set => _known[(int)KnownKey.RequestedRegion] = value; }

    /// <summary>
    /// Sets where the request came from, as a regional service sees it: through a VPC endpoint (gateway or
    /// interface) AWS sees the client's VPC address (<c>aws:SourceVpce</c>, <c>aws:SourceVpc</c>,
    /// <c>aws:VpcSourceIp</c>) and <c>aws:SourceIp</c> is absent; from outside any VPC only <c>aws:SourceIp</c>.
    /// </summary>
    public void SetOrigin(Cloister.Model.Network.ServiceOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.VpceId is not null)
        {
            SourceVpce = origin.VpceId;
            SourceVpc = origin.VpcId;
            VpcSourceIp = origin.SourceIp;
        }
        else
        {
            SourceIp = origin.SourceIp;
        }
    }

    /// <summary>
    /// Sets a condition key to one value, replacing what it had. The time keys take ISO 8601 or epoch
    /// seconds, <c>aws:SecureTransport</c> takes <c>true</c>/<c>false</c>; anything else is kept as text.
    /// </summary>
    /// <exception cref="ArgumentException">The value does not fit a typed key.</exception>
    public void Set(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var resolved = ContextKey.Of(key);
        switch (resolved.Known)
        {
            case KnownKey.None:
                CustomValues(key).Add(value);
                _listed?.Remove(key);
                return;
            case KnownKey.CurrentTime or KnownKey.EpochTime:
                if (!PolicyDates.TryParse(value, out var ticks))
                {
                    throw new ArgumentException($"{key}: '{value}' is not an ISO 8601 date or epoch seconds.", nameof(value));
                }

                RequestTime = new DateTimeOffset(ticks, TimeSpan.Zero);
                return;
            case KnownKey.TokenIssueTime:
                _known[(int)KnownKey.TokenIssueTime] = PolicyDates.TryParse(value, out _)
                    ? value
                    : throw new ArgumentException($"{key}: '{value}' is not an ISO 8601 date or epoch seconds.", nameof(value));
                return;
            case KnownKey.SecureTransport:
                SecureTransport = bool.TryParse(value, out var secure)
                    ? secure
                    : throw new ArgumentException($"{key}: '{value}' is not true or false.", nameof(value));
                return;
            default:
                _known[(int)resolved.Known] = value;
                return;
        }
    }

    /// <summary>
    /// Adds a value to a multi-valued condition key (such as <c>aws:TagKeys</c>); the first
    /// <see cref="Add"/> creates the key. The keys API Gateway fills are single-valued.
    /// </summary>
    /// <exception cref="ArgumentException">The key is one of the single-valued keys and already has a value.</exception>
    public void Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (ContextKey.Of(key).Known is var known and not KnownKey.None)
        {
            if (IsSet(known))
            {
                throw new ArgumentException($"{key} is single-valued and already set.", nameof(key));
            }

            Set(key, value);
            return;
        }

        _custom ??= new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (!_custom.TryGetValue(key, out var values))
        {
            _custom[key] = values = [];
        }

        values.Add(value);
        Listed(key);
    }

    /// <summary>Marks a custom key as given as a list, which IAM does not substitute for a policy variable.</summary>
    private void Listed(string key) => (_listed ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(key);

    /// <summary>Whether a single-valued key was given a value (one worked out from the principal, such as <c>aws:ViaAWSService</c>, does not count).</summary>
    private bool IsSet(KnownKey key) => key switch
    {
        KnownKey.CurrentTime or KnownKey.EpochTime => RequestTime is not null,
        KnownKey.SecureTransport => SecureTransport is not null,
        _ => _known[(int)key] is not null,
    };

    /// <summary>The key's list, emptied (reused when the key was set before, so a reused context allocates no list per request).</summary>
    private List<string> CustomValues(string key)
    {
        _custom ??= new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (_custom.TryGetValue(key, out var values))
        {
            values.Clear();
            return values;
        }

        values = [];
        _custom[key] = values;
        return values;
    }

    /// <summary>Declares a multi-valued key that is present with no values (for ForAllValues/ForAnyValue over an empty set).</summary>
    public void SetEmpty(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (ContextKey.Of(key).Known != KnownKey.None)
        {
            throw new ArgumentException($"{key} is single-valued.", nameof(key));
        }

        CustomValues(key);
        Listed(key);
    }

    /// <summary>Removes a condition key.</summary>
    public void Remove(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var resolved = ContextKey.Of(key);
        switch (resolved.Known)
        {
            case KnownKey.None:
                _custom?.Remove(key);
                _listed?.Remove(key);
                break;
            case KnownKey.CurrentTime or KnownKey.EpochTime:
                RequestTime = null;
                break;
            case KnownKey.SecureTransport:
                SecureTransport = null;
                break;
            default:
                _known[(int)resolved.Known] = null;
                break;
        }
    }

    /// <summary>Clears everything so the context can serve the next request.</summary>
    public void Reset()
    {
        Array.Clear(_known);
        _custom?.Clear();
        _listed?.Clear();
        RequestTime = null;
        SecureTransport = null;
        Principal = RequestPrincipal.Anonymous;
        Action = "execute-api:Invoke";
        Resource = string.Empty;
    }

    /// <summary>The values of a key; false when the request does not have it.</summary>
    internal bool TryGetValues(in ContextKey key, out ContextValues values)
    {
        values = default;
        switch (key.Known)
        {
            case KnownKey.None:
                if (_custom is not null && _custom.TryGetValue(key.Name, out var many))
                {
                    // A key Set to one value is single-valued; one given as a list stays multivalued with one value in it.
                    values = many.Count == 1 && _listed?.Contains(key.Name) != true ? ContextValues.Of(many[0]) : ContextValues.Of(many);
                    return true;
                }

                if (Principal.TryGetTag(key.Name, out var tag))
                {
                    values = ContextValues.Of(tag);
                    return true;
                }

                return false;
            case KnownKey.CurrentTime or KnownKey.EpochTime:
                if (RequestTime is { } time)
                {
                    values = ContextValues.OfTime(time, key.Known == KnownKey.EpochTime);
                    return true;
                }

                return false;
            case KnownKey.TokenIssueTime when _known[(int)KnownKey.TokenIssueTime] is null:
                if (Principal.TokenIssueTime is { } issued)
                {
                    values = ContextValues.OfTime(issued, epoch: false);
                    return true;
                }

                return false;
            case KnownKey.SecureTransport:
                if (SecureTransport is { } secure)
                {
                    values = ContextValues.Of(secure ? "true" : "false");
                    return true;
                }

                return false;
            default:
                var text = _known[(int)key.Known] ?? Derived(key.Known);
                if (text is null)
                {
                    return false;
                }

                values = ContextValues.Of(text);
                return true;
        }
    }

    private string? Derived(KnownKey key) => key switch
    {
        // A role session's aws:PrincipalArn is its role's ARN, not the session's (IAM's condition key reference).
        KnownKey.PrincipalArn => Principal.Kind == PrincipalKind.Aws ? Principal.RoleArn ?? Principal.Identifier : null,
        KnownKey.PrincipalAccount => Principal.Account,
        KnownKey.PrincipalType => Principal.PrincipalType,
        KnownKey.Username => Principal.UserName,

        // IAM sets aws:PrincipalIsAWSService on every signed request: a data-perimeter Deny with Bool false must see it.
        KnownKey.PrincipalIsAwsService => Principal.Kind switch
        {
            PrincipalKind.Service => "true",
            PrincipalKind.Aws or PrincipalKind.CanonicalUser => "false",
            _ => null,
        },
        KnownKey.PrincipalServiceName => Principal.Kind == PrincipalKind.Service ? Principal.Identifier : null,
        KnownKey.UserId => Principal.UserId ?? (Principal.IsAccountRoot ? Principal.Account : null),

        // IAM includes aws:ViaAWSService in every request context, false for a direct call: AWS's "deny outside these
        // addresses" example (NotIpAddress + Bool false) must apply. No Cloister service forwards a caller's credentials.
        KnownKey.ViaAwsService => "false",

        // IAM puts aws:MultiFactorAuthPresent in the context only for temporary credentials; the sandbox's STS issues them without MFA.
        KnownKey.MultiFactorAuthPresent => Principal.HasTemporaryCredentials ? "false" : null,
        _ => null,
    };
}
