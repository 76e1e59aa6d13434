using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.Metadata;

/// <summary>
/// The matrix topology with the metadata service running: a1 launched with <c>HttpTokens: optional</c>, a hop limit of 7,
/// its tags served and user data; a2 with the endpoint disabled; b1 with EC2's defaults for Amazon Linux 2023.
/// </summary>
public sealed class MetadataOptionsSandboxFixture() : MetadataSandboxFixture(Model)
{
    private static CloudModel Model()
    {
        var model = MatrixTopology.Build();
        return model with
        {
            Instances = [.. model.Instances.Select(i => i.Id switch
            {
                "i-a1" => i with
                {
                    UserData = "#!/bin/sh\necho a1\n",
                    MetadataOptions = new InstanceMetadataOptions(HttpTokensRequired: false, HttpPutResponseHopLimit: 7, InstanceMetadataTags: true),
                    Tags = [new("Name", "a1"), new("team", "web")],
                },
                "i-a2" => i with { MetadataOptions = new InstanceMetadataOptions(HttpEndpointEnabled: false) },
                _ => i,
            })],
        };
    }
}
