using System.Collections.Immutable;
using Cloister.Host.Fabric.CloudInit;

namespace Cloister.Host.Fabric;

/// <summary>
/// What cloud-init would do with an instance's user data: run it as a script when it is one <c>#!</c> script (the
/// kernel picks the shebang's interpreter), run its modules and parts when it is <c>#cloud-config</c> or MIME
/// multi-part with shell-script or cloud-config parts, or not run it, with the reason, for every other format.
/// </summary>
/// <param name="Runs">Whether cloud-init would run anything of it.</param>
/// <param name="Reason">Why it is not run, when it is not.</param>
internal sealed record UserDataScript(bool Runs, string? Reason)
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.Ordinal)
    {
        ["text/cloud-boothook"] = "a cloud boothook",
        ["text/x-include-url"] = "an include file",
        ["text/x-include-once-url"] = "an include file",
        ["text/part-handler"] = "a part handler",
        ["text/upstart-job"] = "an upstart job",
        ["text/cloud-config-archive"] = "a cloud-config archive",
    };

    /// <summary>The user data's parts.</summary>
    public ImmutableArray<UserDataPart> Parts { get; private init; } = [];

    /// <summary>Whether it is a single <c>#!</c> script, run as it is.</summary>
    public bool IsScript { get; private init; }

    /// <summary>Classifies <paramref name="userData"/> (decoded) as cloud-init does: by its first characters, or its MIME parts.</summary>
    public static UserDataScript Of(string userData)
    {
        ArgumentNullException.ThrowIfNull(userData);
        var parts = UserDataParts.Of(userData);
        if (userData.TrimStart('\uFEFF').StartsWith("#!", StringComparison.Ordinal))
        {
            return new UserDataScript(true, null) { Parts = parts, IsScript = true };
        }

        if (parts.Any(p => p.ContentType is UserDataPart.ShellScript or UserDataPart.CloudConfig))
        {
            return new UserDataScript(true, null) { Parts = parts };
        }

        var format = parts.Length == 1 ? Formats.GetValueOrDefault(parts[0].ContentType)
            : "MIME multi-part user data with no text/x-shellscript or text/cloud-config part";
        return format is null
            ? new UserDataScript(false, "its user data does not start with #! or #cloud-config, so cloud-init would not run it")
            : new UserDataScript(false, $"its user data is {format}, which Cloister does not run (#! scripts, #cloud-config and MIME multi-part user data with those parts are)");
    }
}
