namespace Cloister.Network.Tests.Fabric;

/// <summary>A sandbox of <see cref="OriginTopology"/>, torn down whatever the tests did.</summary>
public sealed class OriginFixture() : SandboxFixture(OriginTopology.Build);
