using System.Diagnostics;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary>curl as an outside client: a client written by others, sending what it is told to.</summary>
public static class Curl
{
    /// <summary>Runs curl with <paramref name="arguments"/>, asserts that it succeeded, and returns what it wrote.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(startInfo)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        var error = await curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, error);
        return output;
    }
}
