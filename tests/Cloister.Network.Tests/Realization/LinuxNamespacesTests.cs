using Cloister.Network.Realization;

namespace Cloister.Network.Tests.Realization;

public sealed class LinuxNamespacesTests
{
    [Fact]
    public void RunIn_NamespaceMissing_ThrowsFabricExceptionWithoutRunningTheAction()
    {
        // A name no sandbox uses: /run/netns/<name> does not exist, as after a namespace was deleted under a caller.
        var missing = SandboxFixture.NewPrefix() + "gone";
        var ran = false;

        var failure = Assert.Throws<FabricException>(() => LinuxNamespaces.RunIn(missing, () => ran = true));

        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
        Assert.False(ran);
    }
}
