namespace Cloister.Model.Compute;

/// <summary>
/// One statement of a function's resource-based policy (<c>AWS::Lambda::Permission</c>, or one SAM generates for an
/// <c>Api</c> event): who may call which action, optionally only on behalf of one source.
/// </summary>
/// <param name="LogicalId">The template's logical id of the permission.</param>
/// <param name="Action">The action, such as <c>lambda:InvokeFunction</c> or <c>lambda:*</c>.</param>
/// <param name="Principal">A service (<c>apigateway.amazonaws.com</c>), an account id, an ARN, or <c>*</c>.</param>
/// <param name="SourceArn">The source's ARN, matched with <c>ArnLike</c> (wildcards allowed); null for any source.</param>
/// <param name="SourceAccount">The source's account, matched exactly; null for any.</param>
/// <param name="Qualifier">The alias or version the permission was added on (its <c>FunctionName</c>'s qualifier);
/// null for the function itself, whose policy also covers <c>$LATEST</c>.</param>
public sealed record PermissionStatement(string LogicalId, string Action, string Principal, string? SourceArn, string? SourceAccount, string? Qualifier = null);
