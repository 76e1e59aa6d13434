using System.Collections.Frozen;

namespace Cloister.Model.Api;

/// <summary>
/// The Route 53 hosted zones of API Gateway's front ends, as AWS's endpoint table publishes them ("Amazon API Gateway
/// endpoints and quotas"): an alias to a regional custom domain's <c>d-…</c> name names its Region's zone, one to an
/// edge-optimized name's CloudFront distribution <see cref="Edge"/>.
/// </summary>
public static class ApiGatewayHostedZones
{
    /// <summary>The hosted zone of edge-optimized names (CloudFront's), the same in every Region.</summary>
    public const string Edge = "Z2FDTNDATAQYW2";

    private static readonly FrozenDictionary<string, string> RegionalZones = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["us-east-1"] = "Z1UJRXOUMOOFQ8",
        ["us-east-2"] = "ZOJJZC49E0EPZ",
        ["us-west-1"] = "Z2MUQ32089INYE",
        ["us-west-2"] = "Z2OJLYMUO9EFXC",
        ["af-south-1"] = "Z2DHW2332DAMTN",
        ["ap-east-1"] = "Z3FD1VL90ND7K5",
        ["ap-south-1"] = "Z3VO1THU9YC4UR",
        ["ap-south-2"] = "Z0853509Q1135NJ66RUH",
        ["ap-northeast-1"] = "Z1YSHQZHG15GKL",
        ["ap-northeast-2"] = "Z20JF4UZKIW1U8",
        ["ap-northeast-3"] = "Z22ILHG95FLSZ2",
        ["ap-southeast-1"] = "ZL327KTPIQFUL",
        ["ap-southeast-2"] = "Z2RPCDW04V8134",
        ["ap-southeast-3"] = "Z10132843TYUYSLUG4HA3",
        ["ap-southeast-4"] = "Z092189423Y7RJK61311D",
        ["ca-central-1"] = "Z19DQILCV0OWEC",
        ["ca-west-1"] = "Z04745493436AWVTG1OQY",
        ["eu-central-1"] = "Z1U9ULNL0V5AJ3",
        ["eu-central-2"] = "Z09222482MK253X48U76H",
        ["eu-west-1"] = "ZLY8HYME6SFDD",
        ["eu-west-2"] = "ZJ5UAJN8Y3Z2Q",
        ["eu-west-3"] = "Z3KY65QIEKYHQQ",
        ["eu-north-1"] = "Z3UWIKFBOOGXPP",
        ["eu-south-1"] = "Z3BT4WSQ9TDYZV",
        ["eu-south-2"] = "Z02499852UI5HEQ5JVWX3",
        ["il-central-1"] = "Z07264553HBI44N5X2CKP",
        ["me-central-1"] = "Z08780021BKYYY8U0YHTV",
        ["me-south-1"] = "Z20ZBPC0SS8806",
        ["sa-east-1"] = "ZCMLWB8V5SYIT",
        ["us-gov-east-1"] = "Z3SE9ATJYCRCZJ",
        ["us-gov-west-1"] = "Z1K6XKP9SAGWDV",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The hosted zone of <paramref name="region"/>'s regional execute-api names (<c>GetAtt RegionalHostedZoneId</c>); null for a Region AWS's table does not list.</summary>
    public static string? RegionalOf(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return RegionalZones.GetValueOrDefault(region);
    }
}
