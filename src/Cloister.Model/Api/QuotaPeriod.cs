namespace Cloister.Model.Api;

/// <summary>The period a usage plan's quota counts over.</summary>
public enum QuotaPeriod
{
    /// <summary>A UTC day.</summary>
    Day,
    /// <summary>A week starting on the day <see cref="QuotaSettings.Offset"/> names (0 is Sunday).</summary>
    Week,
    /// <summary>A month starting on day <see cref="QuotaSettings.Offset"/> + 1.</summary>
    Month,
}
