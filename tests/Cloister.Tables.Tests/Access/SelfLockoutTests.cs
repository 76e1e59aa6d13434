using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cloister.Model.Network;

namespace Cloister.Tables.Tests.Access;

/// <summary>
/// PutResourcePolicy's lock-out check (<c>ConfirmRemoveSelfResourceAccess</c>), through the AWS SDK for .NET against a
/// real service with access control on loopback.
/// </summary>
public sealed class SelfLockoutTests : IAsyncLifetime
{
    private const string LockedOut = "The new resource policy will not allow you to update the resource policy in the future.";
    private const string DenyPutToEveryone = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:PutResourcePolicy","Resource":"*"}]}""";
    private const string AllowReadsToAccount = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"dynamodb:GetItem","Resource":"*"}]}""";

    private AccessServer _server = null!;

    public async Task InitializeAsync() => _server = await AccessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string RoleArn(string role) => $"arn:aws:iam::{AccessServer.Account}:role/{role}";

    private static Task<PutResourcePolicyResponse> PutAsync(AmazonDynamoDBClient client, string table, string policy, bool? confirm = null) =>
        client.PutResourcePolicyAsync(new PutResourcePolicyRequest
        {
            ResourceArn = AccessServer.TableArnPrefix + table,
            Policy = policy,
            ConfirmRemoveSelfResourceAccess = confirm,
        });

    /// <summary>The table's policy and revision as the stack host's own (unauthorized) connection reads them.</summary>
    private async Task<GetResourcePolicyResponse> StoredAsync(string table)
    {
        using var host = _server.HostClient();
        return await host.GetResourcePolicyAsync(new GetResourcePolicyRequest { ResourceArn = AccessServer.TableArnPrefix + table });
    }

    /// <summary>Puts <paramref name="refused"/> (refused as a lock-out), then <paramref name="stored"/>, which is kept.</summary>
    private async Task RefusedThenStoredAsync(AmazonDynamoDBClient client, string table, string refused, string stored)
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(client, table, refused));
        await PutAsync(client, table, stored);

        Assert.Equal(LockedOut, error.Message);
        Assert.Equal(stored, (await StoredAsync(table)).Policy);
    }

    /// <summary>Asserts the table's stored policy and revision.</summary>
    private async Task AssertStoredAsync(string table, string policy, string revisionId)
    {
        var stored = await StoredAsync(table);
        Assert.Equal(policy, stored.Policy);
        Assert.Equal(revisionId, stored.RevisionId);
    }

    private AmazonDynamoDBClient Admin()
    {
        _server.AddRole("AKIDADMIN", "Admin", "s", [AccessServer.Allow("\"dynamodb:*\"")]);
        return _server.Client("AKIDADMIN", "s");
    }

    [Fact]
    public async Task PutResourcePolicy_ExplicitDenyOfTheCaller_AccessDeniedLockout()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(admin, table, DenyPutToEveryone));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(LockedOut, error.Message);
        await Assert.ThrowsAsync<PolicyNotFoundException>(() => StoredAsync(table));
    }

    [Fact]
    public async Task PutResourcePolicy_ConfirmFalseAndDenyOfCallersRoleByPrincipalArn_AccessDeniedLockout()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        var denyAdmin = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"{{{{RoleArn("Admin")}}}}"}}}]}""";

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(admin, table, denyAdmin, confirm: false));

        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal(LockedOut, error.Message);
    }

    [Fact]
    public async Task PutResourcePolicy_OldPolicyWasTheOnlyGrantAndNewOneGrantsAnother_AccessDeniedLockout()
    {
        // The caller's identity policies do not allow PutResourcePolicy: only the table's policy does, and the new one
        // names another role, so the caller could not put a policy again (an implicit deny counts, as it does in AWS).
        var table = await _server.CreateTableAsync($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{RoleArn("Owner")}}"},"Action":"dynamodb:PutResourcePolicy","Resource":"*"}]}""");
        _server.AddRole("AKIDOWNER", "Owner", "s", []);
        using var owner = _server.Client("AKIDOWNER", "s");
        var grantOther = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{RoleArn("Other")}}"},"Action":"dynamodb:PutResourcePolicy","Resource":"*"}]}""";
        var grantBoth = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["{{RoleArn("Other")}}","{{RoleArn("Owner")}}"]},"Action":"dynamodb:PutResourcePolicy","Resource":"*"}]}""";

        await RefusedThenStoredAsync(owner, table, refused: grantOther, stored: grantBoth);
    }

    [Fact]
    public async Task PutResourcePolicy_NewPolicyGrantsAnotherButIdentityAllowsCaller_StoredWithoutConfirmation()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        var grantOther = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{RoleArn("Other")}}"},"Action":"dynamodb:*","Resource":"*"}]}""";

        var put = await PutAsync(admin, table, grantOther);

        await AssertStoredAsync(table, grantOther, put.RevisionId);
    }

    [Fact]
    public async Task PutResourcePolicy_DenyExemptingTheCallersRole_StoredWithoutConfirmation()
    {
        // AWS's own example: deny everything outside one VPC endpoint, except the administering role.
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        var policy = $$$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"*","Condition":{"StringNotEquals":{"aws:sourceVpce":"vpce-1a2b3c4d"},"ArnNotEquals":{"aws:PrincipalArn":"{{{{RoleArn("Admin")}}}}"}}}]}""";

        await PutAsync(admin, table, policy);

        Assert.Equal(policy, (await StoredAsync(table)).Policy);
    }

    [Fact]
    public async Task PutResourcePolicy_DenyOutsideAnotherNetwork_CheckedFromTheCallersOrigin()
    {
        var table = await _server.CreateTableAsync();
        _server.Origin = ServiceOrigin.Outside("192.0.2.7");
        using var admin = Admin();
        const string DenyOutsideOthers = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:PutResourcePolicy","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.0/24"}}}]}""";
        const string DenyOutsideOwn = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:PutResourcePolicy","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}""";

        await RefusedThenStoredAsync(admin, table, refused: DenyOutsideOthers, stored: DenyOutsideOwn);
    }

    [Fact]
    public async Task PutResourcePolicy_ConfirmTrue_StoredAndTheCallersNextPutDenied()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();

        var put = await PutAsync(admin, table, DenyPutToEveryone, confirm: true);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(admin, table, AllowReadsToAccount, confirm: true));

        await AssertStoredAsync(table, DenyPutToEveryone, put.RevisionId);
        Assert.Equal(
            $"User: {AccessServer.SessionArn("Admin")} is not authorized to perform: dynamodb:PutResourcePolicy on resource: {AccessServer.TableArnPrefix}{table} with an explicit deny in a resource-based policy",
            error.Message);
    }

    [Fact]
    public async Task PutResourcePolicy_Refused_OldPolicyAndRevisionIdUnchanged()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        var first = await PutAsync(admin, table, AllowReadsToAccount);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(admin, table, DenyPutToEveryone));

        Assert.Equal(LockedOut, error.Message);
        await AssertStoredAsync(table, AllowReadsToAccount, first.RevisionId);
    }

    [Fact]
    public async Task PutResourcePolicy_RootDeniedByNewPolicy_StoredAndRootCanStillReplaceIt()
    {
        var table = await _server.CreateTableAsync();
        _server.AddRoot("AKIDROOT", "root-secret");
        using var root = _server.Client("AKIDROOT", "root-secret");
        const string DenyAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:*","Resource":"*"}]}""";

        await PutAsync(root, table, DenyAll);
        var afterDeny = (await StoredAsync(table)).Policy;
        await PutAsync(root, table, AllowReadsToAccount);

        Assert.Equal(DenyAll, afterDeny);
        Assert.Equal(AllowReadsToAccount, (await StoredAsync(table)).Policy);
    }

    [Fact]
    public async Task PutResourcePolicy_DenyOnlyDeleteResourcePolicy_StoredWithoutConfirmation()
    {
        // DynamoDB's check is of PutResourcePolicy alone: a policy denying the caller DeleteResourcePolicy is taken.
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        const string DenyDelete = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteResourcePolicy","Resource":"*"}]}""";

        await PutAsync(admin, table, DenyDelete);

        Assert.Equal(DenyDelete, (await StoredAsync(table)).Policy);
    }

    [Fact]
    public async Task CreateTable_ResourcePolicyLockingTheCallerOut_NotChecked()
    {
        using var admin = Admin();
        var name = TablesServerFixture.UniqueName("t");

        await admin.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("PK", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH)],
            ResourcePolicy = DenyPutToEveryone,
        });

        Assert.Equal(DenyPutToEveryone, (await StoredAsync(name)).Policy);
    }

    [Fact]
    public async Task PutResourcePolicy_InvalidPolicyThatWouldLockOut_ValidationExceptionNotLockout()
    {
        var table = await _server.CreateTableAsync();
        using var admin = Admin();
        const string NoPrincipal = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:*","Resource":"*"}]}""";

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => PutAsync(admin, table, NoPrincipal));

        Assert.Equal("ValidationException", error.ErrorCode);
    }
}
