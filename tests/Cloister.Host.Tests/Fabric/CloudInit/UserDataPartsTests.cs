using System.Text;
using Cloister.Host.Fabric;
using Cloister.Host.Fabric.CloudInit;

namespace Cloister.Host.Tests.Fabric.CloudInit;

public sealed class UserDataPartsTests
{
    private const string Multipart = """
        Content-Type: multipart/mixed; boundary="//"
        MIME-Version: 1.0

        --//
        Content-Type: text/cloud-config; charset="us-ascii"
        MIME-Version: 1.0
        Content-Transfer-Encoding: 7bit
        Content-Disposition: attachment; filename="cloud-config.txt"

        #cloud-config
        runcmd: [echo config]

        --//
        Content-Type: text/x-shellscript; charset="us-ascii"
        Content-Transfer-Encoding: base64

        IyEvYmluL2Jhc2gKZWNobyBzY3JpcHQK
        --//
        Content-Type: text/plain

        #!/bin/sh
        echo typed by its first line
        --//--
        """;

    [Fact]
    public void Of_MimeMultipart_ItsPartsInOrderWithBase64Undone()
    {
        var parts = UserDataParts.Of(Multipart);

        Assert.Equal([UserDataPart.CloudConfig, UserDataPart.ShellScript, UserDataPart.ShellScript], parts.Select(p => p.ContentType));
        Assert.Equal("#cloud-config\nruncmd: [echo config]\n", parts[0].Content);
        Assert.Equal("#!/bin/bash\necho script\n", parts[1].Content);
        Assert.Equal("#!/bin/sh\necho typed by its first line", parts[2].Content);
    }

    [Theory]
    [InlineData("#cloud-config\nruncmd: []", UserDataPart.CloudConfig)]
    [InlineData("#!/bin/bash\necho", UserDataPart.ShellScript)]
    [InlineData("#cloud-boothook\necho", "text/cloud-boothook")]
    [InlineData("echo hi", "text/x-not-multipart")]
    public void Of_SinglePart_TypedByItsFirstLine(string userData, string expected)
    {
        Assert.Equal(expected, Assert.Single(UserDataParts.Of(userData)).ContentType);
    }

    [Theory]
    [InlineData("#cloud-config\nruncmd: [x]", true, false)]
    [InlineData("#!/bin/sh\necho", true, true)]
    [InlineData("#cloud-boothook\necho", false, false)]
    [InlineData("echo hi", false, false)]
    public void UserDataScriptOf_Formats_RunAsCloudInitWould(string userData, bool runs, bool isScript)
    {
        var script = UserDataScript.Of(userData);

        Assert.Equal(runs, script.Runs);
        Assert.Equal(isScript, script.IsScript);
    }

    [Fact]
    public void UserDataScriptOf_MultipartWithShellPart_Runs()
    {
        Assert.True(UserDataScript.Of(Multipart).Runs);
    }

    [Fact]
    public void Of_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(28);
        for (var i = 0; i < 2000; i++)
        {
            var chars = Multipart.ToCharArray();
            for (var j = random.Next(1, 8); j > 0; j--)
            {
                chars[random.Next(chars.Length)] = "-/\n:;=\" #"[random.Next(9)];
            }

            var text = i % 10 == 0 ? Encoding.UTF8.GetString([.. Enumerable.Range(0, 64).Select(_ => (byte)random.Next(256))]) : new string(chars);
            _ = UserDataScript.Of(text);
        }
    }
}
