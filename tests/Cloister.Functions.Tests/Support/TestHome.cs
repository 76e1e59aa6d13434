using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloister.Functions.Tests.Support;

/// <summary>
/// A test's own temporary folder (the AWS CLI's <c>HOME</c>, and room for the server's state) with a self-signed
/// certificate for 127.0.0.1 that the HTTPS servers under test present on loopback, saved in the folder as the PEM
/// bundle the CLI trusts. Disposing it disposes the certificate and deletes the folder, so dispose the servers first.
/// </summary>
internal sealed class TestHome : IDisposable
{
    /// <summary>Creates the folder (named <paramref name="prefix"/> and a random suffix) and the certificate.</summary>
    public TestHome(string prefix)
    {
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Certificate = SelfSigned();
        File.WriteAllText(CaBundle, Certificate.ExportCertificatePem());
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The certificate (with its private key) a server under test presents.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The PEM file holding <see cref="Certificate"/>, the only one the CLI trusts.</summary>
    public string CaBundle => Path.Combine(Folder, "ca.pem");

    /// <summary>The AWS CLI v2 with this folder as its <c>HOME</c>, trusting <see cref="Certificate"/>, signing for <paramref name="region"/>.</summary>
    public AwsCli Cli(string region) => new(Folder, region) { CaBundle = CaBundle };

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
