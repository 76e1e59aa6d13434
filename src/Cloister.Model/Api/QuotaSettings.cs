namespace Cloister.Model.Api;

/// <summary>How many requests a key may make per period under a usage plan.</summary>
/// <param name="Limit">Requests per period.</param>
/// <param name="Period">Day, week or month.</param>
/// <param name="Offset">The day the period starts on: 0 for DAY; 0 (Sunday) to 6 for WEEK; 0 (the 1st) to 27 for MONTH.</param>
public sealed record QuotaSettings(int Limit, QuotaPeriod Period, int Offset);
