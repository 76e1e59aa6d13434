using Cloister.Model;
using Cloister.Model.Network;

namespace Cloister.Host.Tables;

/// <summary>The names the stack's table service answers to at its public address, for its certificate.</summary>
internal static class TablesServiceNames
{
    /// <summary>
    /// <c>dynamodb.{region}.amazonaws.com</c> (the subject, as AWS's certificate has it), <c>*.ddb.{region}.amazonaws.com</c>
    /// (the account-based endpoints SDKs use when their credentials carry an account id) and <c>localhost</c>.
    /// </summary>
    public static IReadOnlyList<string> CertificateNames(AccountContext account) =>
        [.. RegionalServices.DynamoDbNames(account.Region, account.UrlSuffix), "localhost"];
}
