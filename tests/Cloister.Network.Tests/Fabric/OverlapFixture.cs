namespace Cloister.Network.Tests.Fabric;

/// <summary>A sandbox of <see cref="OverlapTopology"/> with the metadata service running.</summary>
public sealed class OverlapFixture() : MetadataSandboxFixture(OverlapTopology.Build);
