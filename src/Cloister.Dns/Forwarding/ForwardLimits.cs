namespace Cloister.Dns.Forwarding;

/// <summary>How long forwarding may take and how much of it may be under way at once.</summary>
/// <param name="AttemptTimeout">One attempt (one source address to one target).</param>
/// <param name="Budget">All attempts of one question together.</param>
/// <param name="MaxInFlight">Distinct questions on their way upstream, for the whole service.</param>
/// <param name="MaxInFlightPerRule">Distinct questions on their way upstream under one rule.</param>
/// <param name="MaxWaiting">Client queries waiting on forwarded questions (several may wait on one).</param>
internal sealed record ForwardLimits(TimeSpan AttemptTimeout, TimeSpan Budget, int MaxInFlight, int MaxInFlightPerRule, int MaxWaiting);
