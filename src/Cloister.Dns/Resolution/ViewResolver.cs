using System.Collections.Immutable;
using Cloister.Dns.Forwarding;
using Cloister.Dns.Wire;

namespace Cloister.Dns.Resolution;

/// <summary>
/// Answers one question in one view, in Route 53 Resolver's order: the rule in force (FORWARD through the
/// outbound endpoint; SYSTEM answers locally), else the view's own data. CNAME chains are followed through
/// the whole view, so a private zone's CNAME to a forwarded name is resolved too. A chain that comes back to a
/// name already in it is a loop: SERVFAIL, as RFC 1034 §3.6.2 asks loops to be signalled as an error. A chain longer
/// than <see cref="MaxChain"/> links is SERVFAIL too, never a partial answer a client would take for the whole.
/// </summary>
internal sealed class ViewResolver
{
    /// <summary>
    /// The most CNAME records one answer follows. Recursive resolvers stop after about ten (unbound raised its limit
    /// from 8 when chains of 9 links appeared on the Internet); 16 lets real chains through and still bounds the work.
    /// </summary>
    internal const int MaxChain = 16;
    private readonly DnsForwarder _forwarder;

    public ViewResolver(DnsForwarder forwarder)
    {
        _forwarder = forwarder;
    }

    public ValueTask<LocalAnswer> ResolveAsync(ResolverView view, string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var rule = view.RuleFor(name);
        if (rule is { Forward: true })
        {
            return Chase(view, name, _forwarder.ForwardAsync(rule, name, type, cancellationToken), type, rule.EndpointId, cancellationToken);
        }

        var local = view.ResolveLocally(name, type);
        return local.CnameTarget is null || type == DnsRecordType.CNAME
            ? ValueTask.FromResult(local)
            : Chase(view, name, ValueTask.FromResult(local), type, null, cancellationToken);
    }

    /// <summary>
    /// Follows the CNAME chain <paramref name="first"/> ends in, if any. <paramref name="through"/>: the outbound endpoint the first
    /// step was forwarded through; the answer names it, or else the endpoint of the first link forwarded.
    /// </summary>
    private async ValueTask<LocalAnswer> Chase(ResolverView view, string name, ValueTask<LocalAnswer> first, DnsRecordType type, string? through, CancellationToken cancellationToken)
    {
        var step = await first.ConfigureAwait(false);
        if (step.CnameTarget is null || type == DnsRecordType.CNAME)
        {
            return Through(step, through);
        }

        var answers = ImmutableArray.CreateBuilder<DnsResourceRecord>();
        answers.AddRange(step.Answers);
        var seen = new HashSet<string>(DnsName.Comparer) { name };
        for (var hop = 0; hop < MaxChain && step.CnameTarget is { } target; hop++)
        {
            if (!seen.Add(target))
            {
                return Through(LocalAnswer.ServerFailure, through);
            }

            var rule = view.RuleFor(target);
            if (rule is { Forward: true })
            {
                through ??= rule.EndpointId;
                step = await _forwarder.ForwardAsync(rule, target, type, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                step = view.ResolveLocally(target, type);
            }

            answers.AddRange(step.Answers);
        }

        // A link that could not be resolved (no target answered, a bound was full) fails the whole answer, as a loop does.
        if (step.CnameTarget is not null || step.ResponseCode == DnsResponseCode.ServFail)
        {
            return Through(LocalAnswer.ServerFailure, through);
        }

        return step with { Answers = answers.ToImmutable(), CnameTarget = null, ForwardedThrough = through };
    }

    private static LocalAnswer Through(LocalAnswer answer, string? through) =>
        through is null || answer.ForwardedThrough == through ? answer : answer with { ForwardedThrough = through };
}
