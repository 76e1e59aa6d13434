namespace Cloister.Templates.Tests.Mapping;

/// <summary>
/// Record sets Route 53 refuses whatever their routing (a CNAME at the apex or beside other record sets of its name, a
/// SOA below the apex, a wildcard NS, several values in a CNAME, a value twice, a TXT string over 255 characters, a name
/// and type made twice), refused at load at the resource and property, in the words of Route 53's InvalidChangeBatch that
/// CloudFormation gives as the CREATE_FAILED reason.
/// </summary>
public sealed class RecordSetRefusalMappingTests
{
    private const string VpcAndZone = RecordRoutingMappingTests.VpcAndZone;

    private static string WithRecords(params string[] records) => VpcAndZone + """
          Records:
            Type: AWS::Route53::RecordSetGroup
            Properties:
              HostedZoneId: !Ref Zone
              RecordSets:

        """ + string.Concat(records.Select(r => "        - " + r + "\n"));

    [Theory]
    [InlineData(
        "{ Name: corp.internal., Type: CNAME, TTL: '60', ResourceRecords: [www.example.com] }",
        null,
        "RecordSets[0].Type",
        "RRSet of type CNAME with DNS name corp.internal. is not permitted at apex in zone corp.internal.")]
    [InlineData(
        "{ Name: app.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1] }",
        "{ Name: App.corp.internal., Type: CNAME, TTL: '60', ResourceRecords: [www.example.com] }",
        "RecordSets[1].Type",
        "RRSet of type CNAME with DNS name app.corp.internal. is not permitted as it conflicts with other records with the same DNS name in zone corp.internal.")]
    [InlineData(
        "{ Name: app.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [www.example.com] }",
        "{ Name: app.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['\"v=1\"'], SetIdentifier: blue, Weight: 1 }",
        "RecordSets[0].Type",
        "RRSet of type CNAME with DNS name app.corp.internal. is not permitted as it conflicts with other records with the same DNS name in zone corp.internal.")]
    [InlineData(
        "{ Name: app.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [a.example.com, b.example.com] }",
        null,
        "RecordSets[0].ResourceRecords[1]",
        "RRSet of type CNAME with DNS name app.corp.internal. has 2 values; Route 53 takes more than one value for every record type except CNAME and SOA.")]
    [InlineData(
        "{ Name: app.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1, 10.1.1.2, 10.1.1.1] }",
        null,
        "RecordSets[0].ResourceRecords[2]",
        "Duplicate Resource Record: '10.1.1.1'")]
    [InlineData(
        "{ Name: app.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['\"same\"', same] }",
        null,
        "RecordSets[0].ResourceRecords[1]",
        "Duplicate Resource Record: 'same'")]
    [InlineData(
        "{ Name: app.corp.internal, Type: MX, TTL: '60', ResourceRecords: [10 mail.corp.internal., 10 Mail.corp.internal] }",
        null,
        "RecordSets[0].ResourceRecords[1]",
        "Duplicate Resource Record: '10 Mail.corp.internal'")]
    [InlineData(
        "{ Name: app.corp.internal, Type: SOA, TTL: '60', ResourceRecords: [ns-1.example.com. hostmaster.example.com. 1 7200 900 1209600 86400] }",
        null,
        "RecordSets[0].Type",
        "RRSet of type SOA with DNS name app.corp.internal. is not permitted: a zone has one SOA, at its apex corp.internal.")]
    [InlineData(
        "{ Name: '*.corp.internal', Type: NS, TTL: '60', ResourceRecords: [ns-1.example.com] }",
        null,
        "RecordSets[0].Type",
        "you can't use the * wildcard for resource record sets that have a type of NS.")]
    [InlineData(
        "{ Name: app.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1] }",
        "{ Name: app.corp.internal, Type: A, TTL: '300', ResourceRecords: [10.1.1.2] }",
        "RecordSets[1].Name",
        "Tried to create resource record set [name='app.corp.internal.', type='A'] but it already exists")]
    public void Load_RecordSetRoute53Refuses_OneProblemAtThePropertyInRoute53sWords(string first, string? second, string property, string message)
    {
        var problem = TestTemplates.SingleProblem(second is null ? WithRecords(first) : WithRecords(first, second));

        Assert.Equal(("Records", "Properties." + property), (problem.Resource, problem.Property));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CnameResourceBesideAliasInRecordSetGroup_CnameRefusedAsConflicting()
    {
        var problem = TestTemplates.SingleProblem(WithRecords(
            "{ Name: api.corp.internal, Type: A, AliasTarget: { DNSName: internal-lb-1.eu-central-1.elb.amazonaws.com, HostedZoneId: Z215JYRZR1TBD5 } }") + """
              Cname: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneName: corp.internal., Name: api.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [www.example.com] } }

            """);

        Assert.Equal(("Cname", "Properties.Type"), (problem.Resource, problem.Property));
        Assert.Equal("RRSet of type CNAME with DNS name api.corp.internal. is not permitted as it conflicts with other records with the same DNS name in zone corp.internal.", problem.Message);
    }

    [Fact]
    public void Load_SameNameAndTypeInRecordSetAndRecordSetGroup_GroupsRecordSetAlreadyExists()
    {
        var problem = TestTemplates.SingleProblem(WithRecords("{ Name: app.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['\"b\"'] }") + """
              Single: { Type: AWS::Route53::RecordSet, Properties: { HostedZoneId: !Ref Zone, Name: app.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['"a"'] } }

            """);

        Assert.Equal(("Records", "Properties.RecordSets[0].Name"), (problem.Resource, problem.Property));
        Assert.Equal("Tried to create resource record set [name='app.corp.internal.', type='TXT'] but it already exists", problem.Message);
    }

    [Fact]
    public void Load_TxtStringOf256Characters_CharacterStringTooLongWithTheValue()
    {
        var value = "\"" + new string('k', 256) + "\"";

        var problem = TestTemplates.SingleProblem(WithRecords($"{{ Name: dkim.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['{value}'] }}"));

        Assert.Equal(("Records", "Properties.RecordSets[0].ResourceRecords[0]"), (problem.Resource, problem.Property));
        Assert.StartsWith($"Invalid Resource Record: FATAL problem: CharacterStringTooLong (Value is too long) encountered with '{value}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RecordSetsRoute53Takes_AllInTheModel()
    {
        // A DKIM key split into strings of 255 and the rest, an escaped quote counted as one character, weighted CNAMEs of
        // one name, a CNAME beside record sets of other names only, one value in two zones' record sets.
        var longKey = $"\"{new string('k', 255)}\" \"{new string('k', 40)}\"";
        var escaped = $"\"{new string('q', 253)}\\\"\\065\"";
        var model = TestTemplates.LoadValid(WithRecords(
            $"{{ Name: dkim.corp.internal, Type: TXT, TTL: '60', ResourceRecords: ['{longKey}', '{escaped}'] }}",
            "{ Name: w.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [blue.example.com], SetIdentifier: blue, Weight: 1 }",
            "{ Name: w.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [green.example.com], SetIdentifier: green, Weight: 1 }",
            "{ Name: app.corp.internal, Type: CNAME, TTL: '60', ResourceRecords: [www.example.com] }",
            "{ Name: www.corp.internal, Type: A, TTL: '60', ResourceRecords: [10.1.1.1, 10.1.1.2] }",
            "{ Name: corp.internal, Type: SOA, TTL: '900', ResourceRecords: [ns-1.example.com. hostmaster.example.com. 1 7200 900 1209600 86400] }",
            "{ Name: sub.corp.internal, Type: NS, TTL: '60', ResourceRecords: [ns-1.example.com, ns-2.example.com] }")).Model;

        var records = Assert.Single(model.HostedZones).Records;
        Assert.Equal(7, records.Length);
        Assert.Equal([longKey, escaped], records.Single(r => r.Name == "dkim.corp.internal").Values.ToArray());
    }
}
