using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Network.Tests.Fabric;

/// <summary>
/// The matrix topology with entries added to VPC A's default network ACL: rule 50 denies TCP 8080 in from VPC B and
/// rule 60 TCP 8081 out to it, before the default ACL's rule 100 that allows all. A1 has no ACL association (the default ACL guards it); A2 is associated
/// with its own ACL, which replaces the default one.
/// </summary>
public sealed class DefaultAclFixture() : SandboxFixture(Model)
{
    public const string AclId = "acl-0123456789abcdef0";

    private static CloudModel Model()
    {
        var model = MatrixTopology.Build();
        var defaultAcl = new NetworkAcl(AclId, "VpcA.DefaultNetworkAcl", "vpc-a",
        [
            new NetworkAclEntry(50, "6", false, false, "10.20.0.0/16", 8080, 8080),
            new NetworkAclEntry(60, "6", false, true, "10.20.0.0/16", 8081, 8081),
            new NetworkAclEntry(100, "-1", true, false, "0.0.0.0/0"),
            new NetworkAclEntry(100, "-1", true, true, "0.0.0.0/0"),
        ], [], IsDefault: true);
        return model with { NetworkAcls = model.NetworkAcls.Add(defaultAcl) };
    }
}
