using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Model.Network;
using Cloister.Policy.Callers;
using static Cloister.Policy.Tests.Callers.CallerModels;

namespace Cloister.Policy.Tests.Callers;

/// <summary>Every key the directory issues is temporary, as on AWS, and stays known as expired once past its expiry.</summary>
public sealed class CallerDirectoryExpiryTests
{
    private const string RoleArn = $"arn:aws:iam::{Account}:role/Worker";
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 0, 0, TimeSpan.Zero);

    private static readonly IamRole Worker = new(
        "WorkerRole",
        "Worker",
        RoleArn,
        "AROAWORKERROLE0000001",
        [new RolePolicy("all", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")])
    {
        AssumeRolePolicy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""",
    };

    private static readonly CloudModel Model = new()
    {
        Account = new AccountContext(Account, "eu-central-1"),
        Roles = [Worker],
        Functions = [Function("work", RoleArn)],
        Instances = [new Instance("i-0123456789abcdef0", "Box", "subnet-1", "10.0.1.5", [], InstanceProfileRole: "Worker")],
    };

    [Fact]
    public void AssumeRole_DurationSeconds_SessionExpiresThenAndStaysKnown()
    {
        var time = new ManualTime(Start);
        var directory = CallerDirectory.Build(Model, Secret, time);
        var caller = directory.Find(directory.ForFunction(Model.Functions[0]).AccessKeyId);
        var context = new RequestContext { Action = "sts:AssumeRole", Resource = RoleArn, Principal = caller.Principal, RequestTime = Start };

        var result = directory.AssumeRole(new AssumeRoleRequest(caller, context, "nightly", 900));
        var session = directory.Find(result.Credentials!.AccessKeyId);

        Assert.True(result.IsIssued);
        Assert.Equal(Start.AddSeconds(900), result.Credentials.Expiration);
        Assert.Equal(Start.AddSeconds(900), session.Expiration);
        Assert.False(session.HasExpired(Start.AddSeconds(899)));
        Assert.True(session.HasExpired(Start.AddSeconds(900)));
        Assert.False(session.IsRoot);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Worker/nightly", session.Arn);
    }

    [Fact]
    public void ForInstance_WithinTheHour_SameCredentialsValidSixHours()
    {
        var time = new ManualTime(Start);
        var directory = CallerDirectory.Build(Model, Secret, time);

        var first = directory.ForInstance(Model.Instances[0])!;
        time.Now = Start.AddMinutes(59);
        var later = directory.ForInstance(Model.Instances[0])!;

        Assert.Equal(first, later);
        Assert.Equal(Start.AddHours(6), first.Expiration);
        Assert.Equal(Start.AddHours(6), directory.Find(first.AccessKeyId).Expiration);
    }

    [Fact]
    public void ForInstance_NextHour_NewCredentialsLongBeforeTheOldExpire()
    {
        var time = new ManualTime(Start);
        var directory = CallerDirectory.Build(Model, Secret, time);
        var old = directory.ForInstance(Model.Instances[0])!;

        time.Now = Start.AddHours(1).AddSeconds(1);
        var renewed = directory.ForInstance(Model.Instances[0])!;

        Assert.NotEqual(old.AccessKeyId, renewed.AccessKeyId);
        Assert.NotEqual(old.SecretAccessKey, renewed.SecretAccessKey);
        Assert.Equal(Start.AddHours(7), renewed.Expiration);
        Assert.True(old.Expiration - time.Now >= TimeSpan.FromMinutes(5));
        var oldCaller = directory.Find(old.AccessKeyId);
        var newCaller = directory.Find(renewed.AccessKeyId);
        Assert.Equal(oldCaller.Arn, newCaller.Arn);
        Assert.Equal(Start.AddHours(1), newCaller.Principal.TokenIssueTime);
        Assert.False(oldCaller.HasExpired(time.Now));
        Assert.True(oldCaller.HasExpired(Start.AddHours(6)));
        Assert.False(newCaller.HasExpired(Start.AddHours(6)));
    }

    [Fact]
    public void ForFunction_EachInit_FreshCredentialsValidTwelveHours()
    {
        var time = new ManualTime(Start);
        var directory = CallerDirectory.Build(Model, Secret, time);

        var first = directory.ForFunction(Model.Functions[0]);
        time.Now = Start.AddHours(13);
        var next = directory.ForFunction(Model.Functions[0]);

        Assert.Equal(Start.AddHours(12), first.Expiration);
        Assert.NotEqual(first.AccessKeyId, next.AccessKeyId);
        Assert.Equal(time.Now.AddHours(12), next.Expiration);
        Assert.True(directory.Find(first.AccessKeyId).HasExpired(time.Now));
        Assert.False(directory.Find(next.AccessKeyId).HasExpired(time.Now));
        Assert.Equal(directory.Find(first.AccessKeyId).Arn, directory.Find(next.AccessKeyId).Arn);
    }

    [Fact]
    public void Find_UnknownAndDefaultKeys_StillTheRootAndNeverExpire()
    {
        var directory = CallerDirectory.Build(Model, Secret, new ManualTime(Start));
        var farFuture = Start.AddYears(10);

        var stranger = directory.Find("AKIAIOSFODNN7EXAMPLE");
        var developer = directory.Find(SandboxCredentials.Default.AccessKeyId);

        Assert.True(stranger.IsRoot);
        Assert.True(developer.IsRoot);
        Assert.Null(stranger.Expiration);
        Assert.False(stranger.HasExpired(farFuture));
        Assert.False(developer.HasExpired(farFuture));
    }
}
