using System.Collections.Frozen;
using System.Collections.Immutable;
using Cloister.Policy.Evaluation;
using Cloister.Policy.Parsing;

namespace Cloister.Policy;

/// <summary>
/// A policy document compiled for evaluation. Read it once with <see cref="Parse"/>; evaluate it on
/// every request with <see cref="Evaluate(RequestContext)"/>, which allocates nothing and is safe to call from many
/// threads at once (the policy is immutable; each request brings its own <see cref="RequestContext"/>).
/// Deny statements are tried first, so an explicit deny stops evaluation at once; statement order in
/// the document never changes the decision.
/// </summary>
public sealed class Policy
{
    private readonly CompiledStatement[] _statements;
    private readonly CompiledStatement[] _denies;
    private readonly CompiledStatement[] _allows;
    private readonly FrozenSet<string> _keys;

    internal Policy(string version, string? id, CompiledStatement[] statements)
    {
        Version = version;
        Id = id;
        _statements = statements;
        _denies = [.. statements.Where(s => s.Effect == Effect.Deny)];
        _allows = [.. statements.Where(s => s.Effect == Effect.Allow)];
        _keys = statements
            .SelectMany(s => s.Conditions.Select(c => c.Key.Name)
                .Concat(s.Conditions.SelectMany(c => c.VariableKeys))
                .Concat(s.Resources.SelectMany(r => r.Template.VariableKeys)))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The policy language version: <c>2012-10-17</c>, or <c>2008-10-17</c> (also when the document names none).</summary>
    public string Version { get; }

    /// <summary>The document's Id element, when it has one.</summary>
    public string? Id { get; }

    /// <summary>How many statements the policy has.</summary>
    public int StatementCount => _statements.Length;

    /// <summary>One statement denying every action on every resource to everyone: what stands for a resource or endpoint policy that does not compile, so that it refuses rather than allows.</summary>
    public static Policy DenyAll { get; } = Parse(
        """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}""").Policy!;

    /// <summary>Reads, validates and compiles a policy document; never throws for bad input.</summary>
    public static PolicyParseResult Parse(string? json, PolicyParseOptions? options = null) =>
        PolicyParser.Parse(json, options ?? PolicyParseOptions.Default);

    /// <summary>
    /// Whether any statement reads condition key <paramref name="key"/> (in a condition or a policy variable),
    /// case-insensitively. A service can skip working out a costly key no policy of the request reads.
    /// </summary>
    public bool ReadsKey(string key) => _keys.Contains(key);

    /// <summary>The Sid of statement <paramref name="index"/> (document order), or null.</summary>
    public string? GetSid(int index) => _statements[index].Sid;

    /// <summary>Decides one request. Allocates nothing.</summary>
    public PolicyDecision Evaluate(RequestContext context) => Evaluate(context, PrincipalRules.None);

    /// <summary>Decides one request, its Principal elements read by <paramref name="rules"/>. Allocates nothing.</summary>
    internal PolicyDecision Evaluate(RequestContext context, PrincipalRules rules)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var statement in _denies)
        {
            if (statement.Applies(context, rules))
            {
                return new PolicyDecision(Decision.ExplicitDeny, statement.Index);
            }
        }

        foreach (var statement in _allows)
        {
            if (statement.Applies(context, rules))
            {
                return new PolicyDecision(Decision.Allow, statement.Index);
            }
        }

        return PolicyDecision.Implicit;
    }

    /// <summary>
    /// Whether an Allow statement that applies names the caller itself (<see cref="CompiledStatement.NamesCaller"/>: its
    /// own ARN in the Principal, or <c>"*"</c> with an <c>aws:PrincipalArn</c> condition), not its role, account or
    /// everyone: within one account such a grant is not limited by the caller's permissions boundary
    /// (<see cref="IamAccess"/>). Without <paramref name="byPrincipalArn"/>, only the caller's own ARN in the Principal
    /// counts: the grants session policies do not limit. Allocates nothing.
    /// </summary>
    internal bool AllowsCallerByName(RequestContext context, PrincipalRules rules, bool byPrincipalArn = true)
    {
        foreach (var statement in _allows)
        {
            if (statement.NamesCaller(context.Principal, byPrincipalArn) && statement.Applies(context, rules))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decides one request and says why, statement by statement. Allocates; meant for people, not for every request.</summary>
    public PolicyExplanation Explain(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcomes = ImmutableArray.CreateBuilder<StatementOutcome>(_statements.Length);
        foreach (var statement in _statements)
        {
            var mismatch = statement.FirstMismatch(context);
            outcomes.Add(new StatementOutcome(statement.Index, statement.Sid, statement.Effect, mismatch == Mismatch.None, Describe(statement, mismatch, context)));
        }

        return new PolicyExplanation(Evaluate(context).Decision, outcomes.MoveToImmutable());
    }

    private static string Describe(CompiledStatement statement, Mismatch mismatch, RequestContext context)
    {
        var notAction = statement.NotAction ? "NotAction" : "Action";
        var notResource = statement.NotResource ? "NotResource" : "Resource";
        return mismatch switch
        {
            Mismatch.None => statement.Conditions.Length == 0 ? "applies" : $"applies: all {statement.Conditions.Length} condition(s) hold",
            Mismatch.Action => $"{notAction} does not cover {context.Action}",
            Mismatch.Resource => $"{notResource} does not cover {context.Resource}",
            Mismatch.Principal => $"{(statement.NotPrincipal ? "NotPrincipal" : "Principal")} does not cover the caller ({context.Principal.Identifier ?? "anonymous"})",
            _ => $"condition {statement.Conditions[mismatch - Mismatch.Condition]} does not hold",
        };
    }
}
