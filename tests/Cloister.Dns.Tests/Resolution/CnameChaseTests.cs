using Cloister.Dns.Tests.Support;
using Cloister.Dns.Wire;
using Cloister.Model.Dns;

namespace Cloister.Dns.Tests.Resolution;

/// <summary>CNAME chains followed through the view, and loops answered as an error.</summary>
public sealed class CnameChaseTests
{
    private static async Task<DnsMessage> AskInZoneWith(string name, DnsRecordType type, params RecordSet[] records)
    {
        var model = TestModels.ApiOnly();
        model = model with { HostedZones = [model.HostedZones[0] with { Records = model.HostedZones[0].Records.AddRange(records) }] };
        await using var service = new DnsService();
        service.Apply(model);
        return await service.QueryAsync(TestModels.ApiVpc, DnsMessage.CreateQuery(7, name, type));
    }

    [Fact]
    public async Task ResolveAsync_CnameLoopOfTwo_ServFailWithoutRepeatedRecords()
    {
        var response = await AskInZoneWith(
            "a.corp.internal",
            DnsRecordType.A,
            TestModels.Set("a.corp.internal", "CNAME", 60, "b.corp.internal"),
            TestModels.Set("b.corp.internal", "CNAME", 60, "a.corp.internal"));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ResolveAsync_CnameToItself_ServFail()
    {
        var response = await AskInZoneWith("self.corp.internal", DnsRecordType.A, TestModels.Set("self.corp.internal", "CNAME", 60, "self.corp.internal"));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ResolveAsync_CnameLoopAskedForCname_AnswersTheOneRecord()
    {
        var response = await AskInZoneWith(
            "a.corp.internal",
            DnsRecordType.CNAME,
            TestModels.Set("a.corp.internal", "CNAME", 60, "b.corp.internal"),
            TestModels.Set("b.corp.internal", "CNAME", 60, "a.corp.internal"));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("b.corp.internal.", Assert.Single(response.Answers).Data.ToPresentation());
    }

    [Fact]
    public async Task ResolveAsync_AnyAtCnameName_TheCnameAloneNotChased()
    {
        // RFC 1034 §4.3.2: the chain is followed only when QTYPE does not match CNAME, and ANY matches every type.
        var response = await AskInZoneWith("alias.corp.internal", DnsRecordType.ANY);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        var record = Assert.Single(response.Answers);
        Assert.Equal(DnsRecordType.CNAME, record.Type);
        Assert.Equal("www.corp.internal.", record.Data.ToPresentation());
    }

    /// <summary>A chain <c>c1 → c2 → … → c{links} → www.corp.internal</c>.</summary>
    private static RecordSet[] Chain(int links) =>
        [.. Enumerable.Range(1, links).Select(i => TestModels.Set($"c{i}.corp.internal", "CNAME", 60, i == links ? "www.corp.internal" : $"c{i + 1}.corp.internal"))];

    [Theory]
    [InlineData(9)]
    [InlineData(16)]
    public async Task ResolveAsync_ChainUpToSixteenLinks_EveryLinkThenAddresses(int links)
    {
        var response = await AskInZoneWith("c1.corp.internal", DnsRecordType.A, Chain(links));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(links, response.Answers.Count(r => r.Type == DnsRecordType.CNAME));
        Assert.Equal(["10.0.1.20", "10.0.1.21"], response.Answers.Where(r => r.Type == DnsRecordType.A).Select(r => r.Data.ToPresentation()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_ChainOfSeventeenLinks_ServFailWithoutRecords()
    {
        var response = await AskInZoneWith("c1.corp.internal", DnsRecordType.A, Chain(17));

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Empty(response.Authorities);
    }

    [Fact]
    public async Task ResolveAsync_ChainOfTwoCnames_EveryLinkOnceThenAddresses()
    {
        var response = await AskInZoneWith(
            "first.corp.internal",
            DnsRecordType.A,
            TestModels.Set("first.corp.internal", "CNAME", 60, "alias.corp.internal"));

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(
            ["first.corp.internal CNAME", "alias.corp.internal CNAME", "www.corp.internal A", "www.corp.internal A"],
            response.Answers.Select(r => $"{r.Name} {r.Type}"));
    }
}
