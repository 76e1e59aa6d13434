using System.IO.Compression;
using System.Text;
using Cloister.Host.Fabric.CloudInit;

namespace Cloister.Host.Tests.Fabric.CloudInit;

public sealed class CloudConfigTests
{
    [Fact]
    public void Parse_RuncmdOfStringsAndLists_ShellifiedAsCloudInitWritesIt()
    {
        var config = CloudConfig.Parse(["""
            #cloud-config
            runcmd:
              - echo "hello world" > /tmp/x
              - [ sh, -c, "echo it's $HOME" ]
              - [ ls, "" ]
            """]);

        Assert.Equal("#!/bin/sh\necho \"hello world\" > /tmp/x\nsh -c 'echo it'\"'\"'s $HOME'\nls ''\n", config.RunCmd);
        Assert.Null(config.BootCmd);
    }

    [Fact]
    public void Parse_RuncmdEntryThatIsAMapping_NotRunWithAProblem()
    {
        var config = CloudConfig.Parse(["#cloud-config\nruncmd:\n  - { a: b }\n"]);

        Assert.Null(config.RunCmd);
        Assert.Contains(config.Problems, p => p.StartsWith("runcmd entry at line 3", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0644", 0b110_100_100)]
    [InlineData("'0600'", 0b110_000_000)]
    [InlineData("'0o755'", 0b111_101_101)]
    [InlineData("420", 0b110_100_100)]
    [InlineData("'rw'", 0b110_100_100)]
    public void Parse_Permissions_ReadAsCloudInitDecodesThem(string permissions, int expected)
    {
        var config = CloudConfig.Parse([$"#cloud-config\nwrite_files:\n  - path: /tmp/f\n    permissions: {permissions}\n"]);

        Assert.Equal((UnixFileMode)expected, Assert.Single(config.WriteFiles).Mode);
    }

    [Fact]
    public void Parse_WriteFilesEncodings_ContentDecoded()
    {
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("zipped\n"u8);
        }

        var config = CloudConfig.Parse([$"""
            #cloud-config
            write_files:
              - path: /tmp/plain
                content: |
                  line one
              - path: /tmp/b64
                encoding: b64
                content: {Convert.ToBase64String("based"u8)}
                owner: ec2-user:ec2-user
                append: true
              - path: /tmp/gz
                encoding: gz+b64
                content: {Convert.ToBase64String(gzipped.ToArray())}
                defer: true
              - content: no path
            """]);

        Assert.Equal(["/tmp/plain", "/tmp/b64", "/tmp/gz"], config.WriteFiles.Select(f => f.Path));
        Assert.Equal(["line one\n", "based", "zipped\n"], config.WriteFiles.Select(f => Encoding.UTF8.GetString(f.Content)));
        Assert.Equal([false, true, false], config.WriteFiles.Select(f => f.Append));
        Assert.Equal([false, false, true], config.WriteFiles.Select(f => f.Defer));
        Assert.Equal("ec2-user:ec2-user", config.WriteFiles[1].Owner);
        Assert.Contains(config.Problems, p => p.Contains("has no path", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TwoParts_LaterTopLevelKeysReplaceEarlier()
    {
        var config = CloudConfig.Parse(["#cloud-config\nruncmd: [first]\nbootcmd: [boot]\n", "#cloud-config\nruncmd: [second]\n"]);

        Assert.Equal("#!/bin/sh\nsecond\n", config.RunCmd);
        Assert.Equal("#!/bin/sh\nboot\n", config.BootCmd);
    }

    [Fact]
    public void Parse_PackagesAndOtherModules_PackagesReadOthersNamedNotApplied()
    {
        var config = CloudConfig.Parse(["""
            #cloud-config
            package_update: yes
            packages: [httpd, [nginx, 1.24]]
            users: [default]
            timezone: Europe/Berlin
            fqdn: web.example.internal
            """]);

        Assert.True(config.PackageUpdate);
        Assert.False(config.PackageUpgrade);
        Assert.Equal(["httpd", "nginx=1.24"], [.. config.Packages]);
        Assert.Equal(["users", "timezone"], [.. config.NotApplied]);
        Assert.Equal("web", config.Hostname);
    }

    [Fact]
    public void Parse_NotYaml_NothingAppliedAndAProblem()
    {
        var config = CloudConfig.Parse(["#cloud-config\nruncmd: [unclosed\n"]);

        Assert.Null(config.RunCmd);
        Assert.Contains("not valid YAML", Assert.Single(config.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomAndMutatedInput_NeverThrows()
    {
        var seed = """
            #cloud-config
            write_files: [{ path: /tmp/a, content: aGk=, encoding: b64, permissions: '0600' }]
            runcmd: [[echo, hi], "echo there"]
            packages: [a]
            """;
        const string Mutations = "[]{}:-'\"\n #!&|,0";
        var random = new Random(28);
        for (var i = 0; i < 2000; i++)
        {
            var chars = seed.ToCharArray();
            for (var j = random.Next(1, 6); j > 0; j--)
            {
                chars[random.Next(chars.Length)] = Mutations[random.Next(Mutations.Length)];
            }

            _ = CloudConfig.Parse([new string(chars)]);
        }
    }
}
