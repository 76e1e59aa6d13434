namespace Cloister.Network.Tests.Fabric;

/// <summary>A sandbox of <see cref="OverlapTopology.BuildWithOneAddress"/> (one explicit address in both VPCs) with the metadata service running.</summary>
public sealed class OneAddressFixture() : MetadataSandboxFixture(OverlapTopology.BuildWithOneAddress);
