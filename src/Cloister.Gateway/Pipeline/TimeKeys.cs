namespace Cloister.Gateway.Pipeline;

/// <summary>The time condition keys of one second, formatted once.</summary>
/// <param name="Second">Unix seconds.</param>
/// <param name="CurrentTime"><c>aws:CurrentTime</c>, ISO 8601.</param>
/// <param name="EpochTime"><c>aws:EpochTime</c>, seconds.</param>
internal sealed record TimeKeys(long Second, string CurrentTime, string EpochTime);
