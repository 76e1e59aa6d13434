using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloister.Shared.Files;

namespace Cloister.Certificates;

/// <summary>
/// The sandbox's certificate authority. Its root is created once and kept in the state folder, so
/// a client that trusted it once keeps trusting it across restarts; every TLS endpoint of the
/// sandbox (execute-api, DynamoDB, load balancers, custom domains) gets a leaf signed by it.
/// Processes started in the sandbox trust it through <see cref="BundlePath"/>.
/// </summary>
public sealed class SandboxCertificateAuthority : IDisposable
{
    /// <summary>File name of the root certificate (PEM) in the CA folder.</summary>
    public const string CertificateFileName = "ca.pem";

    /// <summary>File name of the root's private key (PKCS#8 PEM) in the CA folder.</summary>
    public const string KeyFileName = "ca.key";

    /// <summary>File name of the trust bundle: the sandbox root followed by the machine's roots.</summary>
    public const string BundleFileName = "bundle.pem";

    /// <summary>File name of the lock held while the CA's files are read or written.</summary>
    private const string LockFileName = "ca.lock";

    /// <summary>
    /// Where Linux distributions keep the machine's roots as one PEM file; the first found goes into the bundle:
    /// Debian, Ubuntu, Alpine and Arch; Fedora and RHEL; openSUSE; RHEL's extracted store; others.
    /// </summary>
    private static readonly string[] SystemBundles =
    [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/ssl/cert.pem",
    ];

    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(397);

    private readonly X509Certificate2 _root;
    private readonly ECDsa _rootKey;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, X509Certificate2> _issued = new(StringComparer.Ordinal);

    private SandboxCertificateAuthority(X509Certificate2 root, ECDsa rootKey, string folder, TimeProvider time)
    {
        _root = root;
        _rootKey = rootKey;
        _time = time;
        Folder = folder;
    }

    /// <summary>The folder holding the root, its key and the bundle.</summary>
    public string Folder { get; }

    /// <summary>The root certificate (public part).</summary>
    public X509Certificate2 Root => _root;

    /// <summary>The PEM path of the root certificate alone.</summary>
    public string CertificatePath => Path.Combine(Folder, CertificateFileName);

    /// <summary>
    /// The PEM bundle for <c>SSL_CERT_FILE</c>, <c>NODE_EXTRA_CA_CERTS</c>, <c>AWS_CA_BUNDLE</c> and
    /// <c>REQUESTS_CA_BUNDLE</c>: the sandbox root first, then the machine's own roots.
    /// </summary>
    public string BundlePath => Path.Combine(Folder, BundleFileName);

    /// <summary>
    /// Loads the CA kept in <paramref name="folder"/>, or creates one there when there is none.
    /// The key file is readable by its owner only.
    /// </summary>
    public static SandboxCertificateAuthority LoadOrCreate(string folder, TimeProvider? time = null) =>
        LoadOrCreate(folder, time, SystemBundles);

    /// <summary>As <see cref="LoadOrCreate(string, TimeProvider?)"/>, with the machine's roots looked for in <paramref name="systemBundles"/>.</summary>
    internal static SandboxCertificateAuthority LoadOrCreate(string folder, TimeProvider? time, IReadOnlyList<string> systemBundles)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        time ??= TimeProvider.System;
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, CertificateFileName);
        var keyPath = Path.Combine(folder, KeyFileName);

        // One host at a time reads, makes or replaces the files: hosts started together on one state folder would
        // otherwise each make a root, and one's key could end up beside another's certificate.
        using var folderLock = LockFolder(folder);
        var now = time.GetUtcNow();
        if (!TryLoadRoot(certificatePath, keyPath, now, out var root, out var key))
        {
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            root = CreateRoot(key, now);
            WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WriteAtomically(certificatePath, root.ExportCertificatePem(), null);
        }

        var authority = new SandboxCertificateAuthority(root, key, folder, time);
        authority.WriteBundle(systemBundles);
        return authority;
    }

    /// <summary>
    /// A leaf certificate with its private key for the given DNS names (wildcards allowed) and IP
    /// addresses, signed by the root. Its subject is the first name given (or, without names, the first
    /// address), as an ACM certificate's <c>DomainName</c> is its subject; every name and address is a
    /// subject alternative name. The same subject and set of names gives the same certificate while it lives.
    /// </summary>
    public X509Certificate2 Issue(IEnumerable<string> dnsNames, IEnumerable<IPAddress>? ipAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var given = dnsNames.Select(n => n.TrimEnd('.').ToLowerInvariant()).ToArray();
        var names = given.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var addresses = (ipAddresses ?? []).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();
        if (names.Length == 0 && addresses.Length == 0)
        {
            throw new ArgumentException("A certificate needs at least one DNS name or IP address.", nameof(dnsNames));
        }

        var subject = given.Length > 0 ? given[0] : addresses[0].ToString();
        var cacheKey = subject + "|" + string.Join(',', names) + "|" + string.Join(',', addresses.Select(a => a.ToString()));
        var now = _time.GetUtcNow();
        if (_issued.TryGetValue(cacheKey, out var cached) && cached.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1))
        {
            return cached;
        }

        var issued = CreateLeaf(subject, names, addresses, now);
        _issued[cacheKey] = issued;
        return issued;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var certificate in _issued.Values)
        {
            certificate.Dispose();
        }

        _issued.Clear();
        _rootKey.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// Holds <see cref="LockFileName"/> open with no sharing, which .NET makes an exclusive <c>flock</c> on Unix: other
    /// threads and processes wait for it (polling, since a blocking lock is not offered), for at most 30 seconds.
    /// </summary>
    private static FileStream LockFolder(string folder)
    {
        var path = Path.Combine(folder, LockFileName);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>
    /// The root kept in the folder, when there is one that can sign a leaf valid now for its whole lifetime. A root that
    /// has expired, would expire within a new leaf's lifetime, or is not valid yet (made while the clock was ahead)
    /// would give leaves no client accepts, or cut short: it is replaced, and the new one is written over it. So is a
    /// key that is not the root's (two hosts creating the CA in one folder at once), whose leaves no client verifies.
    /// </summary>
    private static bool TryLoadRoot(string certificatePath, string keyPath, DateTimeOffset now, [NotNullWhen(true)] out X509Certificate2? root, [NotNullWhen(true)] out ECDsa? key)
    {
        root = null;
        key = null;
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return false;
        }

        var loaded = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        if (loaded.NotBefore.ToUniversalTime() > now.UtcDateTime || loaded.NotAfter.ToUniversalTime() < (now + LeafLifetime).UtcDateTime)
        {
            loaded.Dispose();
            return false;
        }

        key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        using var rootPublicKey = loaded.GetECDsaPublicKey();
        if (rootPublicKey is null || !rootPublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            loaded.Dispose();
            key.Dispose();
            key = null;
            return false;
        }

        // The key stays the owner's alone, whatever mode it was copied in with.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if ((File.GetUnixFileMode(keyPath) & ~ownerOnly) != 0)
        {
            File.SetUnixFileMode(keyPath, File.GetUnixFileMode(keyPath) & ownerOnly);
        }

        root = loaded;
        return true;
    }

    private static X509Certificate2 CreateRoot(ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=Cloister Sandbox Root CA, O=Cloister", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    private X509Certificate2 CreateLeaf(string subject, string[] names, IPAddress[] addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var notAfter = now + LeafLifetime;
        if (notAfter > _root.NotAfter)
        {
            notAfter = _root.NotAfter;
        }

        using var publicOnly = request.Create(_root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), now.AddDays(-1), notAfter, serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);

        // Kestrel on Linux needs a key it can use after this method returns: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
    }

    private void WriteBundle(IReadOnlyList<string> systemBundles)
    {
        var bundle = new StringBuilder();
        bundle.Append(_root.ExportCertificatePem()).Append('\n');
        if (systemBundles.FirstOrDefault(File.Exists) is { } systemBundle)
        {
            bundle.Append(File.ReadAllText(systemBundle));
        }

        WriteAtomically(BundlePath, bundle.ToString(), null);
    }

    private static void WriteAtomically(string path, string contents, UnixFileMode? mode) =>
        AtomicFile.Write(
            path,
            stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                writer.Write(contents);
            },
            mode);
}
