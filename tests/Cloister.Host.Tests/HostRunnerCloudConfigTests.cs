using System.Diagnostics;

namespace Cloister.Host.Tests;

/// <summary>
/// An instance whose user data is <c>#cloud-config</c>, as the tutorials write it: <c>write_files</c> puts the page,
/// <c>runcmd</c> starts a web server, <c>packages</c> cannot be installed (a warning, the boot goes on); another
/// instance of the VPC fetches the page with curl.
/// </summary>
public sealed class HostRunnerCloudConfigTests : HostRunnerTests
{
    [Fact(Timeout = 300_000)]
    public async Task RunAsync_InstanceWithCloudConfig_WritesTheFileAndServesItToAnotherInstance()
    {
        var site = Path.Combine(_state.Root, "site");
        var events = await ProgressAsync(Start(Request($$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.28.0.0/16 } }
              Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.28.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""] } }
              WebGroup:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: HTTP from the VPC
                  VpcId: !Ref Vpc
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.28.0.0/16 }]
              Web:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: ami-0123456789abcdef0
                  SubnetId: !Ref Subnet
                  PrivateIpAddress: 10.28.1.50
                  SecurityGroupIds: [!Ref WebGroup]
                  UserData:
                    Fn::Base64: |
                      #cloud-config
                      package_update: true
                      packages: [httpd]
                      write_files:
                        - path: {{site}}/index.html
                          content: |
                            <h1>Hello from cloud-config</h1>
                      runcmd:
                        - cd {{site}} && nohup python3 -m http.server 8080 >/dev/null 2>&1 &
              Client: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Subnet } }
            """)));
        Assert.Equal("ready", events[^1].State);
        var warning = Assert.Single(events, e => e.State == "warning");
        Assert.Matches(@"^Web \(i-[0-9a-f]{17}\): package_update_upgrade_install: cannot update the package index, install httpd: ", warning.Message);

        var clock = Stopwatch.StartNew();
        (int ExitCode, string Output, string Error) page;
        do
        {
            page = await CloisterAsync("exec", "--from", "Client", "--", "curl", "-sS", "--max-time", "5", "http://10.28.1.50:8080/index.html");
        }
        while (page.ExitCode != 0 && clock.Elapsed < TimeSpan.FromSeconds(60) && await PauseAsync());

        Assert.True(page.ExitCode == 0, page.Error);
        Assert.Equal("<h1>Hello from cloud-config</h1>\n", page.Output);
        var log = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_state.Logs, "instances")).Single());
        Assert.Contains("Cloister cloud-init: package_update_upgrade_install: cannot update the package index, install httpd", log, StringComparison.Ordinal);
        Assert.Contains("Cloister cloud-init: scripts_user: running runcmd", log, StringComparison.Ordinal);
    }
}
