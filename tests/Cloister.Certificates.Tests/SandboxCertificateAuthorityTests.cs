using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloister.Certificates.Tests;

public sealed class SandboxCertificateAuthorityTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cloister-ca-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LoadOrCreate_Twice_KeepsSameRoot()
    {
        string thumbprint;
        using (var first = SandboxCertificateAuthority.LoadOrCreate(_folder))
        {
            thumbprint = first.Root.Thumbprint;
        }

        using var second = SandboxCertificateAuthority.LoadOrCreate(_folder);
        Assert.Equal(thumbprint, second.Root.Thumbprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, SandboxCertificateAuthority.KeyFileName)));
    }

    [Theory]
    [InlineData(3654)] // the ten-year root has expired
    [InlineData(3400)] // it would expire before a leaf issued now
    [InlineData(-30)] // the clock was ahead when the root was made: not valid yet
    public void LoadOrCreate_RootNotValidForANewLeaf_ReplacesItAndIssuesLeavesThatChain(int daysLater)
    {
        var created = DateTimeOffset.UtcNow;
        string oldThumbprint;
        using (var first = SandboxCertificateAuthority.LoadOrCreate(_folder, new FixedTime(created)))
        {
            oldThumbprint = first.Root.Thumbprint;
        }

        var now = created.AddDays(daysLater);
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder, new FixedTime(now));
        var leaf = ca.Issue(["dynamodb.eu-central-1.amazonaws.com"]);

        Assert.NotEqual(oldThumbprint, ca.Root.Thumbprint);
        using var onDisk = X509CertificateLoader.LoadCertificateFromFile(ca.CertificatePath);
        Assert.Equal(ca.Root.Thumbprint, onDisk.Thumbprint);
        Assert.InRange(now.UtcDateTime, leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime());
        Assert.Equal(now.UtcDateTime.AddDays(397), leaf.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(onDisk);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public async Task LoadOrCreate_KeyIsNotTheRootsKey_ReplacesThePairSoLeavesVerify()
    {
        // Two hosts creating the CA in the same fresh folder at once can leave one's key beside the other's root.
        SandboxCertificateAuthority.LoadOrCreate(_folder).Dispose();
        using (var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, SandboxCertificateAuthority.KeyFileName), stranger.ExportPkcs8PrivateKeyPem());
        }

        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        var leaf = ca.Issue(["dynamodb.eu-central-1.amazonaws.com"]);
        var leafPath = Path.Combine(_folder, "leaf.pem");
        await File.WriteAllTextAsync(leafPath, leaf.ExportCertificatePem());

        var (exitCode, output) = await OpensslAsync("verify", "-CAfile", ca.CertificatePath, leafPath);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task LoadOrCreate_NoDebianBundle_AppendsTheFirstSystemBundleFound()
    {
        // Fedora and RHEL keep their roots in /etc/pki/tls/certs/ca-bundle.crt, openSUSE in /etc/ssl/ca-bundle.pem.
        var machine = Path.Combine(_folder, "machine");
        Directory.CreateDirectory(machine);
        using var otherRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherRoot = new CertificateRequest("CN=Some Public Root", otherRootKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var fedora = Path.Combine(machine, "ca-bundle.crt");
        await File.WriteAllTextAsync(fedora, otherRoot.ExportCertificatePem() + "\n");

        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder, null, [Path.Combine(machine, "ca-certificates.crt"), fedora]);

        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(ca.BundlePath);
        Assert.Equal([ca.Root.Thumbprint, otherRoot.Thumbprint], bundle.Select(c => c.Thumbprint));
    }

    [Fact]
    public async Task LoadOrCreate_SeveralAtOnceInAFreshFolder_AllUseTheRootOnDisk()
    {
        // Hosts started together on one state folder (a script, a test run) each create the CA at the same moment.
        using var start = new Barrier(8);
        var authorities = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return SandboxCertificateAuthority.LoadOrCreate(_folder);
            },
            TaskCreationOptions.LongRunning)));
        try
        {
            using var onDisk = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_folder, SandboxCertificateAuthority.CertificateFileName));
            Assert.All(authorities, a => Assert.Equal(onDisk.Thumbprint, a.Root.Thumbprint));
            var leafPath = Path.Combine(_folder, "leaf.pem");
            await File.WriteAllTextAsync(leafPath, authorities[^1].Issue(["dynamodb.eu-central-1.amazonaws.com"]).ExportCertificatePem());
            var (exitCode, output) = await OpensslAsync("verify", "-CAfile", Path.Combine(_folder, SandboxCertificateAuthority.BundleFileName), leafPath);
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            foreach (var authority in authorities)
            {
                authority.Dispose();
            }
        }
    }

    [Fact]
    public void LoadOrCreate_LeftoverTemporaryKeyFileReadableByAll_KeyIsStillOwnerOnly()
    {
        // A host killed while writing the key leaves ca.key.tmp behind; its mode must not become the key's.
        Directory.CreateDirectory(_folder);
        var leftover = Path.Combine(_folder, SandboxCertificateAuthority.KeyFileName + ".tmp");
        File.WriteAllText(leftover, "partial");
        File.SetUnixFileMode(leftover, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, SandboxCertificateAuthority.KeyFileName)));
    }

    [Fact]
    public void LoadOrCreate_KeptKeyReadableByOthers_MadeOwnerOnlyAgain()
    {
        // Copied in without its mode (cp, an archive, a checkout), the kept key would be readable by every local user.
        string thumbprint;
        using (var first = SandboxCertificateAuthority.LoadOrCreate(_folder))
        {
            thumbprint = first.Root.Thumbprint;
        }

        var keyPath = Path.Combine(_folder, SandboxCertificateAuthority.KeyFileName);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);

        Assert.Equal(thumbprint, ca.Root.Thumbprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
    }

    [Fact]
    public void Issue_Names_ChainsToRootWithSans()
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        var leaf = ca.Issue(["*.execute-api.eu-central-1.amazonaws.com", "*.execute-api.eu-central-1.vpce.amazonaws.com"], [IPAddress.Parse("10.0.1.5")]);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname("abc1234567.execute-api.eu-central-1.amazonaws.com"));
        Assert.True(leaf.MatchesHostname("vpce-0123456789abcdef0-abcdefgh.execute-api.eu-central-1.vpce.amazonaws.com"));
        Assert.False(leaf.MatchesHostname("dynamodb.eu-central-1.amazonaws.com"));
        Assert.Same(leaf, ca.Issue(["*.execute-api.eu-central-1.amazonaws.com", "*.execute-api.eu-central-1.vpce.amazonaws.com", "*.execute-api.eu-central-1.amazonaws.com"], [IPAddress.Parse("10.0.1.5")]));
    }

    [Fact]
    public void Issue_FirstNameGiven_IsTheSubjectAndEveryNameASan()
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        string[] names = ["vpce-0aaaabbbbccccdddd-abcdefgh.dynamodb.eu-central-1.vpce.amazonaws.com", "*.vpce-0aaaabbbbccccdddd-abcdefgh-eu-central-1a.dynamodb.eu-central-1.vpce.amazonaws.com"];

        var leaf = ca.Issue(names);
        var reversed = ca.Issue(names.Reverse());

        Assert.Equal("CN=" + names[0], leaf.Subject);
        Assert.Equal("CN=" + names[1], reversed.Subject);
        Assert.NotSame(leaf, reversed);
        Assert.Equal(names.Order(StringComparer.Ordinal), SubjectAlternativeNames(leaf));
        Assert.Equal(SubjectAlternativeNames(leaf), SubjectAlternativeNames(reversed));
    }

    [Fact]
    public void Issue_NoNames_Throws()
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        Assert.Throws<ArgumentException>(() => ca.Issue([]));
    }

    [Fact]
    public async Task Bundle_OpensslVerify_AcceptsLeaf()
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        var leaf = ca.Issue(["dynamodb.eu-central-1.amazonaws.com"]);
        var leafPath = Path.Combine(_folder, "leaf.pem");
        await File.WriteAllTextAsync(leafPath, leaf.ExportCertificatePem());

        var (exitCode, output) = await OpensslAsync("verify", "-CAfile", ca.BundlePath, leafPath);

        Assert.Equal(0, exitCode);
        Assert.Contains("OK", output, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(ca.BundlePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_TlsHandshakeOverLoopback_ClientTrustingOnlyRootSucceeds()
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        var leaf = ca.Issue(["abc1234567.execute-api.eu-central-1.amazonaws.com"]);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var serverTask = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = leaf, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
            await tls.WriteAsync("ok"u8.ToArray());
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var clientTls = new SslStream(client.GetStream());
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "abc1234567.execute-api.eu-central-1.amazonaws.com",
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck },
        };
        options.CertificateChainPolicy.CustomTrustStore.Add(ca.Root);
        await clientTls.AuthenticateAsClientAsync(options);
        var buffer = new byte[2];
        await clientTls.ReadExactlyAsync(buffer);
        await serverTask;

        Assert.Equal("ok"u8.ToArray(), buffer);
        Assert.True(clientTls.IsAuthenticated);
    }

    [Theory]
    [InlineData("abc1234567.execute-api.eu-central-1.amazonaws.com")]
    [InlineData("abc1234567-vpce-0123456789abcdef0.execute-api.eu-central-1.amazonaws.com")]
    [InlineData("vpce-0123456789abcdef0-abcdefgh-eu-central-1a.execute-api.eu-central-1.vpce.amazonaws.com")]
    public async Task Issue_PrivateApiNames_CurlAndStrictOpensslAcceptTheHandshake(string host)
    {
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder);
        var leaf = ca.Issue(["*.execute-api.eu-central-1.amazonaws.com", "*.execute-api.eu-central-1.vpce.amazonaws.com"]);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var server = ServeAsync(listener, leaf, stop.Token);

        var curl = await RunAsync("curl", "-sS", "--cacert", ca.BundlePath, "--resolve", $"{host}:{port}:127.0.0.1", $"https://{host}:{port}/");
        var openssl = await RunAsync(
            "openssl", "s_client", "-connect", $"127.0.0.1:{port}", "-servername", host, "-CAfile", ca.BundlePath,
            "-verify_return_error", "-x509_strict", "-verify_hostname", host, "-purpose", "sslserver");
        await stop.CancelAsync();
        await server;

        Assert.True(curl.ExitCode == 0, curl.Output);
        Assert.Equal("ok", curl.Output);
        Assert.True(openssl.ExitCode == 0, openssl.Output);
        Assert.Contains("Verify return code: 0 (ok)", openssl.Output, StringComparison.Ordinal);
    }

    // Answers every TLS connection with one small HTTP response until cancelled.
    private static async Task ServeAsync(TcpListener listener, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var accepted = await listener.AcceptTcpClientAsync(cancellationToken);
                await using var tls = new SslStream(accepted.GetStream());
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
                    await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), cancellationToken);

                    // close_notify before the socket closes: OpenSSL 3 reports a bare close as "unexpected eof while
                    // reading" and s_client then exits 1 when it read the response before its own input ended.
                    await tls.ShutdownAsync();
                }
                catch (Exception exception) when (exception is IOException or AuthenticationException)
                {
                    // A client that hangs up after the handshake (openssl s_client with no input) is not a failure here.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output + await error);
    }

    private static Task<(int ExitCode, string Output)> OpensslAsync(params string[] arguments) => RunAsync("openssl", arguments);

    private static List<string> SubjectAlternativeNames(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames()];

    [Fact]
    public void Issue_SameNamesWhileValid_SameLeafSoHandshakesShareIt()
    {
        var time = new MovingTime(DateTimeOffset.UtcNow);
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder, time);

        var first = ca.Issue(["api.corp.internal", "*.corp.internal"]);
        time.Now = time.Now.AddDays(300);
        var second = ca.Issue(["api.corp.internal", "*.corp.internal"]);

        Assert.Same(first, second);
    }

    [Fact]
    public void Issue_CachedLeafWithinADayOfExpiry_IssuesAFreshOneValidAnother397Days()
    {
        var time = new MovingTime(DateTimeOffset.UtcNow);
        using var ca = SandboxCertificateAuthority.LoadOrCreate(_folder, time);
        var first = ca.Issue(["api.corp.internal"]);

        // ACM renews a certificate before it expires; the CA does the same for the next deployment that asks for the names.
        time.Now = time.Now.AddDays(396.5);
        var renewed = ca.Issue(["api.corp.internal"]);

        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.Equal(time.Now.UtcDateTime.AddDays(397), renewed.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(first.Subject, renewed.Subject);
    }

    private sealed class MovingTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
