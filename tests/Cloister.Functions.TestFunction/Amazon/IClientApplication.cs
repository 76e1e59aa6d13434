namespace Amazon.Lambda.Core;

/// <summary>The shape of Amazon.Lambda.Core's client application.</summary>
public interface IClientApplication
{
    string AppPackageName { get; }

    string AppTitle { get; }

    string AppVersionCode { get; }

    string AppVersionName { get; }

    string InstallationId { get; }
}
