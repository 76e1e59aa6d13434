using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cloister.Network.Realization;

/// <summary>
/// Runs the fabric's tools (<c>ip</c>, <c>nft</c>, <c>nsenter</c>) with an optional standard input. Every wait is
/// bounded: a tool that does not finish within its timeout is killed with its descendants and reported by name, and
/// once it has exited its output is read only for a short grace, since a process it left running in the background
/// may hold the output pipes open for ever.
/// </summary>
internal static class CommandRunner
{
    /// <summary>How long one tool may run: generous, since a machine under load creates namespaces slowly.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long output may still arrive after the tool exited.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    public static Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default) =>
        RunAsync(fileName, arguments, input, DefaultTimeout, cancellationToken);

    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, string? input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var stopReading = new CancellationTokenSource();
        var output = new StringBuilder();
        var error = new StringBuilder();
        var reading = Task.WhenAll(DrainAsync(process.StandardOutput, output, stopReading.Token), DrainAsync(process.StandardError, error, stopReading.Token));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await WriteInputAsync(process, input, deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessEnding.KillAsync(process, OutputGrace).ConfigureAwait(false);
            await stopReading.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FabricException(string.Create(
                CultureInfo.InvariantCulture,
                $"{Describe(start)} did not finish within {timeout.TotalSeconds:0.###} s and was killed: {Text(error).Trim()}"));
        }

        // The output ends when its last writer closes it: a background process the tool started may never do so.
        try
        {
            await reading.WaitAsync(OutputGrace, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
        }

        return new CommandResult(process.ExitCode, Text(output), Text(error));
    }

    /// <summary>Runs and throws <see cref="FabricException"/> when the command fails.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> arguments, string? input = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await RunAsync(fileName, list, input, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new FabricException($"{fileName} {string.Join(' ', list)} failed ({result.ExitCode}): {result.Error.Trim()}");
        }

        return result.Output;
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading all of it: its exit code and error output say why.
        }
    }

    private static async Task DrainAsync(StreamReader reader, StringBuilder into, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                lock (into)
                {
                    into.Append(buffer, 0, read);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // What arrived so far is the output.
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
