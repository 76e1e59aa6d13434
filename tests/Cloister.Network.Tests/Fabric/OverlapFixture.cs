using Cloister.Network.Metadata;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network.Tests.Fabric;

/// <summary>A sandbox of <see cref="OverlapTopology"/> with the metadata service running, torn down whatever the tests did.</summary>
public sealed class OverlapFixture() : SandboxFixture(OverlapTopology.Build)
{
    private InstanceMetadataService? _metadata;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _metadata = await InstanceMetadataService.StartAsync(Sandbox, _ => null, NullLoggerFactory.Instance);
    }

    public override async Task DisposeAsync()
    {
        if (_metadata is not null)
        {
            await _metadata.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
