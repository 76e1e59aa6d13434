namespace Cloister.Model.Tests;

public sealed class StatePathsTests
{
    [Fact]
    public void FromEnvironment_NoHome_UsesDotCloisterUnderWorkingDirectory()
    {
        var paths = StatePaths.FromEnvironment(_ => null, "/tmp/project");
        Assert.Equal("/tmp/project/.cloister", paths.Root);
        Assert.Equal("/tmp/project/.cloister/logs/dns", paths.DnsLogs);
        Assert.Equal("/tmp/project/.cloister/logs/execution", paths.ExecutionLogs);
    }

    [Fact]
    public void FromEnvironment_HomeSet_UsesIt()
    {
        var paths = StatePaths.FromEnvironment(k => k == "CLOISTER_HOME" ? "/var/lib/cloister" : null, "/tmp/project");
        Assert.Equal("/var/lib/cloister", paths.Root);
        Assert.Equal("/var/lib/cloister/control.sock", paths.ControlSocket);
    }
}
