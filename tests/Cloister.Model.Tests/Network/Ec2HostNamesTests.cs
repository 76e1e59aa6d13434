using System.Text.Json;
using System.Text.Json.Serialization;
using Cloister.Model.Network;

namespace Cloister.Model.Tests.Network;

public sealed class Ec2HostNamesTests
{
    private static Instance Host(PrivateDnsNameOptions options, string? address = "10.0.1.5") =>
        new("i-0123456789abcdef0", "Host", "subnet-0aaaaaaaaaaaaaaa1", address, []) { PrivateDnsNameOptions = options };

    [Theory]
    [InlineData("eu-central-1", "ip-10-0-1-5.eu-central-1.compute.internal", "i-0123456789abcdef0.eu-central-1.compute.internal")]
    [InlineData("us-east-1", "ip-10-0-1-5.ec2.internal", "i-0123456789abcdef0.ec2.internal")]
    public void PrivateDnsName_ByHostnameType_IpNameOrResourceNameInTheRegionsDomain(string region, string ipName, string resourceName)
    {
        Assert.Equal(ipName, Ec2HostNames.PrivateDnsName(Host(PrivateDnsNameOptions.Default), region));
        Assert.Equal(resourceName, Ec2HostNames.PrivateDnsName(Host(new PrivateDnsNameOptions(HostnameType.ResourceName)), region));
    }

    [Fact]
    public void PrivateDnsName_IpNameWithoutAddress_Empty()
    {
        Assert.Equal(string.Empty, Ec2HostNames.PrivateDnsName(Host(PrivateDnsNameOptions.Default, address: null), "eu-central-1"));
    }

    [Theory]
    [InlineData("ip-name", true, HostnameType.IpName)]
    [InlineData("resource-name", true, HostnameType.ResourceName)]
    [InlineData("Resource-Name", false, HostnameType.IpName)]
    [InlineData("", false, HostnameType.IpName)]
    [InlineData(null, false, HostnameType.IpName)]
    public void TryParseHostnameType_Value_OnlyEc2sExactValues(string? value, bool parsed, HostnameType type)
    {
        Assert.Equal(parsed, PrivateDnsNameOptions.TryParseHostnameType(value, out var actual));
        Assert.Equal(type, actual);
    }

    [Fact]
    public void PrivateDnsNameOptions_JsonRoundTrip_KeptOnInstanceAndSubnet()
    {
        // The network keeps the model as JSON (web defaults, enums as strings) between runs.
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var options = new PrivateDnsNameOptions(HostnameType.ResourceName, EnableResourceNameDnsARecord: true);
        var subnet = new Subnet("subnet-0aaaaaaaaaaaaaaa1", "Private1", "vpc-0000000000000000a", "10.0.1.0/24", "eu-central-1a") { PrivateDnsNameOptionsOnLaunch = options };

        var instance = JsonSerializer.Deserialize<Instance>(JsonSerializer.Serialize(Host(options), json), json);
        var subnetBack = JsonSerializer.Deserialize<Subnet>(JsonSerializer.Serialize(subnet, json), json);

        Assert.Equal(options, instance!.PrivateDnsNameOptions);
        Assert.Equal(options, subnetBack!.PrivateDnsNameOptionsOnLaunch);
    }
}
