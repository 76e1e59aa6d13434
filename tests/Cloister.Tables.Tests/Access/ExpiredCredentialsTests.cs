using Amazon.DynamoDBv2;
using Cloister.Model;
using Cloister.Model.Iam;
using Cloister.Policy.Callers;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// Temporary credentials past their expiry, through the AWS SDK for .NET: DynamoDB answers 400
/// <c>ExpiredTokenException</c> "The security token included in the request is expired", on a connection that already
/// served the key too (a connection keeps its caller, not its caller's validity).
/// </summary>
public sealed class ExpiredCredentialsTests : IAsyncLifetime
{
    private const string RoleArn = $"arn:aws:iam::{AccessServer.Account}:role/Lister";

    private readonly ManualTime _time = new();
    private AccessServer _server = null!;
    private CallerDirectory _sts = null!;

    public async Task InitializeAsync()
    {
        _server = await AccessServer.StartAsync(_time);
        _sts = CallerDirectory.Build(
            new CloudModel
            {
                Account = new AccountContext(AccessServer.Account, "us-east-1"),
                Roles = [new IamRole("ListerRole", "Lister", RoleArn, "AROALISTERROLE000001", [new RolePolicy("list", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:ListTables","Resource":"*"}]}""")])],
            },
            new byte[32],
            _time);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListTables_StsSessionPastItsDuration_400ExpiredTokenOnTheSameConnection()
    {
        var (credentials, session) = _sts.AssumeRole(RoleArn, "brief", _time.Now, TimeSpan.FromSeconds(900))!.Value;
        _server.AddCaller(credentials.AccessKeyId, session);
        using var client = _server.Client(credentials.AccessKeyId, credentials.SecretAccessKey);

        _time.Now += TimeSpan.FromSeconds(899);
        await client.ListTablesAsync();
        _time.Now += TimeSpan.FromSeconds(1);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => client.ListTablesAsync());

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("ExpiredTokenException", error.ErrorCode);
        Assert.Equal("The security token included in the request is expired", error.Message);
    }

    [Fact]
    public async Task ListTables_FreshStsSessionAndUnknownKey_SessionServedUnknownStillUnrecognized()
    {
        var (credentials, session) = _sts.AssumeRole(RoleArn, "brief", _time.Now, TimeSpan.FromHours(1))!.Value;
        _server.AddCaller(credentials.AccessKeyId, session);
        using var fresh = _server.Client(credentials.AccessKeyId, credentials.SecretAccessKey);
        using var unknown = _server.Client("AKIDNOBODY", "s");

        await fresh.ListTablesAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => unknown.ListTablesAsync());

        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }
}
