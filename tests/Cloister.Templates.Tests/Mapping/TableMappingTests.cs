namespace Cloister.Templates.Tests.Mapping;

/// <summary>AWS::DynamoDB::Table's Tags, TableClass, SSESpecification, PointInTimeRecoverySpecification and DeletionProtectionEnabled in the model.</summary>
public sealed class TableMappingTests
{
    private const string Table = """
              TableName: claims
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
              KeySchema: [{ AttributeName: id, KeyType: HASH }]
        """;

    [Fact]
    public void Table_TagsClassEncryptionRecovery_InTheModel()
    {
        var table = Assert.Single(TestTemplates.LoadValid(TestTemplates.OneResource("AWS::DynamoDB::Table", Table + """

                  Tags: [{ Key: env, Value: test }, { Key: team, Value: data }]
                  TableClass: STANDARD_INFREQUENT_ACCESS
                  SSESpecification: { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/claims }
                  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 }
                  DeletionProtectionEnabled: true
            """)).Model.Tables);

        Assert.Equal(["env=test", "team=data"], table.Tags.Select(tag => $"{tag.Key}={tag.Value}"));
        Assert.Equal("STANDARD_INFREQUENT_ACCESS", table.TableClass);
        Assert.True(table.SseEnabled);
        Assert.Equal("alias/claims", table.SseKmsKeyId);
        Assert.True(table.PointInTimeRecovery);
        Assert.Equal(7, table.RecoveryPeriodInDays);
        Assert.True(table.DeletionProtection);
    }

    [Fact]
    public void Table_StreamSpecification_DeploysWithAWarningThatNoStreamRuns()
    {
        // The table service refuses StreamEnabled (Cloister does not run DynamoDB Streams); a template's
        // StreamSpecification deployed silently, its GetAtt StreamArn naming a stream nothing serves.
        var result = TestTemplates.LoadValid(TestTemplates.OneResource("AWS::DynamoDB::Table", Table + """

                  StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
            """));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("Properties.StreamSpecification", warning.Property);
        Assert.Contains("does not run DynamoDB Streams", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_NoSettings_DefaultsAsDynamoDb()
    {
        var table = Assert.Single(TestTemplates.LoadValid(TestTemplates.OneResource("AWS::DynamoDB::Table", Table)).Model.Tables);

        Assert.Empty(table.Tags);
        Assert.Null(table.TableClass);
        Assert.False(table.SseEnabled);
        Assert.False(table.PointInTimeRecovery);
        Assert.False(table.DeletionProtection);
    }

    [Fact]
    public void Table_UnknownTableClass_ProblemNamesTheProperty()
    {
        var problem = TestTemplates.SingleProblem(TestTemplates.OneResource("AWS::DynamoDB::Table", Table + """

                  TableClass: GLACIER
            """));

        Assert.Equal(("Thing", "Properties.TableClass"), (problem.Resource, problem.Property));
    }
}
