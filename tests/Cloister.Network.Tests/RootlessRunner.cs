using Cloister.Network.Tests.Fabric;

namespace Cloister.Network.Tests;

/// <summary>
/// The test assembly's entry point, used only by the rootless test: run as an unprivileged user inside
/// <c>unshare --user --map-root-user --net --mount --pid</c>, it builds the matrix topology and prints every
/// disagreement between real connections and the path analysis.
/// </summary>
public static class RootlessRunner
{
    public const string Verb = "rootless-matrix";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [Verb])
        {
            await Console.Error.WriteLineAsync($"usage: {Verb}");
            return 2;
        }

        var runtime = Path.Combine(Path.GetTempPath(), "cloister-rootless-" + Guid.NewGuid().ToString("N")[..8]);
        var sandbox = await Sandbox.StartAsync(MatrixTopology.Build(), new SandboxOptions(SandboxFixture.NewPrefix(), runtime));
        try
        {
            Console.WriteLine($"rootless={Sandbox.IsRootless} uid_map={File.ReadAllText("/proc/self/uid_map").Trim()}");
            var cells = await IsolationMatrix.RunAsync(sandbox, TimeSpan.FromSeconds(1.5));
            var mismatches = cells.Where(c => c.Connected != c.Analysis.NetworkPathFound).ToList();
            foreach (var cell in mismatches)
            {
                Console.WriteLine("MISMATCH " + cell);
            }

            Console.WriteLine($"MATRIX cells={cells.Count} connected={cells.Count(c => c.Connected)} mismatches={mismatches.Count}");

            // Let the test run 'cloister exec' from outside, then stop.
            Console.WriteLine("READY " + runtime);
            await Console.In.ReadLineAsync();
            return mismatches.Count == 0 && Sandbox.IsRootless ? 0 : 1;
        }
        finally
        {
            await sandbox.DisposeAsync();
            Directory.Delete(runtime, recursive: true);
        }
    }
}
