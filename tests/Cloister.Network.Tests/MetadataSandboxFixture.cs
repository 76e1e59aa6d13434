using Cloister.Model;
using Cloister.Network.Metadata;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Network.Tests;

/// <summary>A sandbox of <paramref name="model"/> with the metadata service running (no credentials), torn down whatever the tests did.</summary>
public abstract class MetadataSandboxFixture(Func<CloudModel> model) : SandboxFixture(model)
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
