using Cloister.Model.Network;

namespace Cloister.Model.Tests.Network;

public sealed class RegionalServicesTests
{
    [Fact]
    public void ManagedPrefixLists_Region_DynamoDbAndS3WithTheirServiceBlocksUnderStableIds()
    {
        var lists = RegionalServices.ManagedPrefixLists("eu-west-1");

        Assert.Equal(
            [("pl-19818001", "com.amazonaws.eu-west-1.dynamodb", "198.18.1.0/24"), ("pl-19818002", "com.amazonaws.eu-west-1.s3", "198.18.2.0/24")],
            lists.Select(l => (l.Id, l.Name, Assert.Single(l.Entries).Cidr)).ToArray());
        Assert.Equal("pl-19818001", RegionalServices.PrefixListIdOf("com.amazonaws.us-east-1.dynamodb"));
        Assert.Null(RegionalServices.PrefixListIdOf("sts"));
    }

    [Fact]
    public void HostDomains_Region_DynamoDbAccountEndpointsAtDynamoDbsAddress()
    {
        var domains = RegionalServices.HostDomains("eu-west-1");

        Assert.Equal(("ddb.eu-west-1.amazonaws.com", "198.18.1.10"), (Assert.Single(domains).Key, domains["DDB.eu-west-1.amazonaws.com"]));
        Assert.Equal("ddb.cn-north-1.amazonaws.com.cn", RegionalServices.DynamoDbAccountDomain("cn-north-1", "amazonaws.com.cn"));
    }

    [Fact]
    public void DynamoDbNames_Region_RegionalNameFirstThenTheAccountEndpointsWildcard()
    {
        Assert.Equal(["dynamodb.eu-west-1.amazonaws.com", "*.ddb.eu-west-1.amazonaws.com"], RegionalServices.DynamoDbNames("eu-west-1").ToArray());
    }
}
