namespace Cloister.Host.Fabric.CloudInit;

/// <summary>One part of an instance's user data, as cloud-init's user-data processing splits it.</summary>
/// <param name="ContentType">The part's type: <c>text/x-shellscript</c>, <c>text/cloud-config</c>, or another cloud-init knows by name.</param>
/// <param name="Content">The part's text, transfer encoding undone.</param>
internal sealed record UserDataPart(string ContentType, string Content)
{
    /// <summary>A <c>#!</c> script, run by <c>scripts_user</c>.</summary>
    public const string ShellScript = "text/x-shellscript";

    /// <summary>Cloud config, YAML read by cloud-init's modules.</summary>
    public const string CloudConfig = "text/cloud-config";
}
