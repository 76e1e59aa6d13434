namespace Cloister.Model.Dns;

/// <summary>A record set's routing policy, for one of several record sets of a name and type told apart by <see cref="SetIdentifier"/>.</summary>
/// <param name="Policy">The routing policy (never <see cref="RoutingPolicy.Simple"/>: a simple record set has no routing).</param>
/// <param name="SetIdentifier">What tells this record set from the others of its name and type.</param>
/// <param name="Weight">A weighted record set's weight, 0–255.</param>
/// <param name="Primary">A failover record set's role: <c>PRIMARY</c> (true) or <c>SECONDARY</c>.</param>
/// <param name="Region">A latency record set's Region.</param>
/// <param name="Location">A geolocation record set's location.</param>
/// <param name="HealthCheckId">The Route 53 health check associated with the record set, if any.</param>
public sealed record RecordRouting(
    RoutingPolicy Policy,
    string SetIdentifier,
    int Weight = 0,
    bool Primary = false,
    string? Region = null,
    GeoLocation? Location = null,
    string? HealthCheckId = null);
