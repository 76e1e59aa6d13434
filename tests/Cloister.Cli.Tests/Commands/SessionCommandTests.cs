using System.Diagnostics;
using Cloister.Host;

namespace Cloister.Cli.Tests.Commands;

/// <summary><c>cloister session</c> on a terminal, as a user types into it, against a managed instance of a running stack.</summary>
public sealed class SessionCommandTests : IAsyncLifetime
{
    private const string Template = """
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.43.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true } }
          Public: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.43.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""], MapPublicIpOnLaunch: true } }
          Igw: { Type: AWS::EC2::InternetGateway }
          Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw } }
          PublicTable: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
          ToInternet: { Type: AWS::EC2::Route, DependsOn: Attach, Properties: { RouteTableId: !Ref PublicTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw } }
          PublicAssociation: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref Public, RouteTableId: !Ref PublicTable } }
          ManagedRole:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }] }
              ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]
          ManagedProfile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [!Ref ManagedRole] } }
          Box: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-0123456789abcdef0, SubnetId: !Ref Public, IamInstanceProfile: !Ref ManagedProfile } }
        """;

    private readonly CliProcess _cli = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cli.DisposeAsync().AsTask();

    [Fact(Timeout = 300_000)]
    public async Task Session_OnATerminal_ShellLeadsItsOwnSessionWithoutTtyWarning()
    {
        // Before, the shell kept the user's terminal, whose foreground process group lies outside the instance's PID
        // namespace: "sh: 2: Cannot set tty process group (No such process)", and no job control.
        var up = await _cli.RunAsync("up", "--detach", "--region", "eu-central-1", _cli.WriteFile("stack.yaml", Template));
        Assert.True(up.ExitCode == 0, up.Output + up.Error);

        var (exitCode, output) = await OnATerminalAsync(
            "if [ \"$(ps -o sid= -p $$ | tr -d ' ')\" = \"$$\" ]; then echo leader-$(ps -o tty= -p $$ | tr -d ' '); fi\nexit 7\n",
            "session", "Box");
        for (var attempt = 0; attempt < 30 && output.Contains("TargetNotConnected", StringComparison.Ordinal); attempt++)
        {
            // The agent registers and opens its control channel a moment after the stack is ready.
            await Task.Delay(1000);
            (exitCode, output) = await OnATerminalAsync("exit 7\n", "session", "Box");
        }

        Assert.DoesNotContain("Cannot set tty process group", output, StringComparison.Ordinal);
        Assert.Matches("leader-pts/[0-9]+", output);
        Assert.True(exitCode == 7, output);
    }

    /// <summary>Runs <c>cloister ARGS</c> on a terminal of its own (script's), typing <paramref name="input"/>; its exit code and what the terminal showed.</summary>
    private async Task<(int ExitCode, string Output)> OnATerminalAsync(string input, params string[] args)
    {
        var command = string.Join(' ', HostLauncher.CloisterProgram(AppContext.BaseDirectory).Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--quiet", "--return", "--command", command, "/dev/null"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CLOISTER_HOME"] = _cli.State.Root;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var (exitCode, output, error) = await CliProcess.FinishAsync(process, TimeSpan.FromMinutes(1), args);
        return (exitCode, output + error);
    }
}
