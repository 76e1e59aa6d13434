using System.Diagnostics;
using System.Net;
using System.Text;

namespace Cloister.Gateway.Tests.Infrastructure;

/// <summary><c>openssl s_client</c> as an outside TLS client: the handshake's details as OpenSSL prints them, and the answer to what it sends.</summary>
public static class OpenSsl
{
    /// <summary>What one <c>s_client</c> run printed: the session and certificate details, the server's answer, and its errors.</summary>
    public sealed record Result(int Exit, string Output, string Error)
    {
        /// <summary>Whether the handshake completed (OpenSSL names the negotiated cipher).</summary>
        public bool Connected => Output.Contains("Cipher is ", StringComparison.Ordinal) && !Output.Contains("Cipher is (NONE)", StringComparison.Ordinal);

        /// <summary>The value after <paramref name="label"/> on the first line that has it, trimmed.</summary>
        public string? Line(string label) =>
            Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))?[label.Length..].Trim();
    }

    /// <summary>
    /// Connects to <paramref name="address"/>:<paramref name="port"/> with <paramref name="options"/> and s_client's command letters on:
    /// renegotiates (<c>R</c>), waits until the server has answered that (a new handshake, or the connection closed), then
    /// writes <paramref name="input"/> and waits for the server to close, at most 30 seconds in all.
    /// </summary>
    public static async Task<Result> RenegotiateAsync(IPAddress address, int port, string input, params string[] options)
    {
        var startInfo = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["s_client", "-connect", $"{address}:{port}", .. options])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await WaitForAsync(() => Text(output).Contains("Verify return code", StringComparison.Ordinal) || process.HasExited, deadline.Token);
            await process.StandardInput.WriteAsync("R\n");
            await process.StandardInput.FlushAsync(deadline.Token);

            // s_client prints RENEGOTIATING, then the new handshake's verify lines on stderr, or ends when the server closes.
            await WaitForAsync(() => Text(error).Contains("RENEGOTIATING", StringComparison.Ordinal) && (Text(error).Split("verify return:").Length > 4 || process.HasExited || Text(error).Contains("error:", StringComparison.Ordinal)), deadline.Token);
            if (!process.HasExited)
            {
                await process.StandardInput.WriteAsync(input);
                await process.StandardInput.FlushAsync(deadline.Token);
            }

            if (!process.HasExited)
            {
                await WaitForAsync(() => process.HasExited || Text(output).Contains("\r\n\r\n", StringComparison.Ordinal) || Text(output).Contains("HTTP/1.1 ", StringComparison.Ordinal), deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("openssl s_client did not finish in 30 seconds: " + Text(error));
        }
        catch (IOException)
        {
            // s_client ended (the server closed) while it was being written to.
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
        }

        return new Result(process.ExitCode, Text(output), Text(error));
    }

    /// <summary>
    /// Connects to <paramref name="address"/>:<paramref name="port"/> with <paramref name="options"/>, writes <paramref name="input"/>
    /// once the handshake is done (<c>-ign_eof</c> keeps the connection until the server closes it) and waits at most 30 seconds.
    /// </summary>
    public static async Task<Result> ConnectAsync(IPAddress address, int port, string input, params string[] options)
    {
        var startInfo = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["s_client", "-connect", $"{address}:{port}", "-ign_eof", .. options])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // s_client ended before it read its input: a handshake the server refused can end it within milliseconds,
            // before a test slowed by load writes (EPIPE, seen once in CI). What it printed is the result.
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("openssl s_client did not finish in 30 seconds: " + await error);
        }

        return new Result(process.ExitCode, await output, await error);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.Append(line).Append('\n');
            }
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
