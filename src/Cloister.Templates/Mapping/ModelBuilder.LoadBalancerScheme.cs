namespace Cloister.Templates.Mapping;

/// <summary>
/// ELB's check of an internet-facing load balancer (the scheme it gets when the template gives none): CreateLoadBalancer
/// refuses it with <c>InvalidSubnet</c>, "VPC vpc-… has no internet gateway", unless an internet gateway is attached to
/// the VPC of its subnets. Subnets the templates do not declare are not checked (their VPC is not known here).
/// </summary>
internal sealed partial class ModelBuilder
{
    private const string InternetFacing = "internet-facing";

    private void CheckInternetFacing(PropertyReader r, string scheme, IEnumerable<string> subnets)
    {
        if (scheme != InternetFacing)
        {
            return;
        }

        var attached = _all
            .Where(a => a.Type == "AWS::EC2::VPCGatewayAttachment" && a.Properties.GetString("InternetGatewayId") is not null)
            .Select(a => a.Properties.GetString("VpcId"))
            .ToHashSet(StringComparer.Ordinal);
        var vpc = subnets.Select(s => Find(s, "AWS::EC2::Subnet")?.Properties.GetString("VpcId")).FirstOrDefault(v => v is not null);
        if (vpc is not null && !attached.Contains(vpc))
        {
            r.Problem(r.Resource.Properties.Get("Subnets") is null && r.Resource.Properties.Get("SubnetMappings") is not null ? "SubnetMappings" : "Subnets", $"VPC {vpc} has no internet gateway");
        }
    }
}
