using Cloister.Model;
using Cloister.Policy;
using Cloister.Tables.Access;
using Cloister.Tables.Operations;
using Cloister.Tables.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloister.Tables.Tests.Access;

public sealed class RequestAuthorizerTests
{
    private const string Caller = "arn:aws:sts::000000000000:assumed-role/R/s";
    private const string Table = "arn:aws:dynamodb:us-east-1:000000000000:table/t";

    [Fact]
    public async Task Operations_EveryServiceOperation_HasARule()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloister-rules-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = TableStore.Open(directory, NullLogger.Instance, TimeProvider.System, TimeSpan.Zero);
            var service = new DynamoDbService(store, AccountContext.Default);

            Assert.Empty(service.Operations.Except(RequestAuthorizer.Operations));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(Decision.ImplicitDeny, PolicySource.Identity, "because no identity-based policy allows the dynamodb:PutItem action")]
    [InlineData(Decision.ExplicitDeny, PolicySource.Identity, "with an explicit deny in an identity-based policy")]
    [InlineData(Decision.ImplicitDeny, PolicySource.ResourcePolicy, "because no resource-based policy allows the dynamodb:PutItem action")]
    [InlineData(Decision.ExplicitDeny, PolicySource.ResourcePolicy, "with an explicit deny in a resource-based policy")]
    [InlineData(Decision.ImplicitDeny, PolicySource.EndpointPolicy, "because no VPC endpoint policy allows the dynamodb:PutItem action")]
    [InlineData(Decision.ExplicitDeny, PolicySource.EndpointPolicy, "with an explicit deny in a VPC endpoint policy")]
    [InlineData(Decision.ImplicitDeny, PolicySource.PermissionsBoundary, "because no permissions boundary allows the dynamodb:PutItem action")]
    [InlineData(Decision.ExplicitDeny, PolicySource.PermissionsBoundary, "with an explicit deny in a permissions boundary")]
    public void DeniedMessage_EachPolicyType_IamWording(Decision decision, PolicySource source, string reason)
    {
        var message = RequestAuthorizer.DeniedMessage(Caller, "dynamodb:PutItem", Table, new IamDecision(decision, source, -1, -1));

        Assert.Equal($"User: {Caller} is not authorized to perform: dynamodb:PutItem on resource: {Table} {reason}", message);
    }
}
