namespace Cloister.Host.Fabric;

/// <summary>
/// What cloud-init would do with an instance's user data: run it as a script when it starts with <c>#!</c> (the
/// kernel picks the shebang's interpreter), or not run it, with the reason, for every other format.
/// </summary>
/// <param name="Runs">Whether the user data is a script cloud-init runs.</param>
/// <param name="Reason">Why it is not run, when it is not.</param>
internal sealed record UserDataScript(bool Runs, string? Reason)
{
    private static readonly (string Marker, string Format)[] OtherFormats =
    [
        ("#cloud-config", "cloud-config"),
        ("#cloud-boothook", "a cloud boothook"),
        ("#include", "an include file"),
        ("#part-handler", "a part handler"),
        ("#upstart-job", "an upstart job"),
        ("#cloud-config-archive", "a cloud-config archive"),
        ("Content-Type:", "MIME multi-part user data"),
        ("MIME-Version:", "MIME multi-part user data"),
    ];

    /// <summary>Classifies <paramref name="userData"/> (decoded) as cloud-init does by its first characters.</summary>
    public static UserDataScript Of(string userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        var text = userData.TrimStart('\uFEFF');
        if (text.StartsWith("#!", StringComparison.Ordinal))
        {
            return new UserDataScript(true, null);
        }

        foreach (var (marker, format) in OtherFormats.OrderByDescending(f => f.Marker.Length))
        {
            if (text.StartsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                return new UserDataScript(false, $"its user data is {format}, which Cloister does not run (only #! scripts are)");
            }
        }

        return new UserDataScript(false, "its user data does not start with #!, so cloud-init would not run it as a script");
    }
}
