using Cloister.Dns.Wire;

namespace Cloister.Dns.Tests.Support;

/// <summary>Checks on negative answers (RFC 2308): the response code, no answers and one SOA in authority.</summary>
internal static class NegativeAnswers
{
    /// <summary>Asserts <paramref name="response"/> is <paramref name="code"/> with only the SOA of <paramref name="soaOwner"/>, TTL 60; returns that SOA.</summary>
    public static DnsResourceRecord AssertOnlySoa(DnsMessage response, DnsResponseCode code, string soaOwner)
    {
        Assert.Equal(code, response.ResponseCode);
        Assert.Empty(response.Answers);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsRecordType.SOA, soa.Type);
        Assert.Equal(soaOwner, soa.Name);
        Assert.Equal(60u, soa.Ttl);
        return soa;
    }
}
