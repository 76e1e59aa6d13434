using Cloister.Functions.Environments;
using Cloister.Model;

namespace Cloister.Functions;

/// <summary>What Lambda's read operations (GetFunction, ListFunctions) describe: the functions as deployed.</summary>
public sealed partial class LambdaService
{
    /// <summary>The account and region the functions' ARNs name.</summary>
    internal AccountContext Account => _options.Account;

    /// <summary>The deployed function <paramref name="name"/>, or null.</summary>
    internal DeployedFunction? Deployed(string name) => _functions.GetValueOrDefault(name);

    /// <summary>Every deployed function, by name in ordinal order (ListFunctions' order).</summary>
    internal IEnumerable<DeployedFunction> Deployed() => _functions.Values.OrderBy(f => f.Model.FunctionName, StringComparer.Ordinal);
}
