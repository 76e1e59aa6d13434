using System.Text.Json;
using Cloister.Shared.Validation;

namespace Cloister.Tables.Protocol;

/// <summary>
/// DynamoDB's model validation, the phase before its own semantic checks: every top-level member of a request the API
/// model constrains (required, length, pattern, range, enum) is checked in the model's member order and every violation
/// answered in one ValidationException ("2 validation errors detected: ..."). Only then does an operation read the
/// request and check what the model cannot say (a key against the schema, an expression's syntax), one refusal at a time.
/// A member of the wrong JSON type is still a SerializationException, which the service answers before validating.
/// </summary>
internal static class ModelConstraints
{
    private static readonly string[] ReturnValues = ["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"];
    private static readonly string[] Select = ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"];
    private static readonly string[] BillingModes = ["PROVISIONED", "PAY_PER_REQUEST"];

    /// <summary>Throws one ValidationException listing every violation of <paramref name="operation"/>'s constraints; nothing for an operation not checked here.</summary>
    public static void Check(string operation, JsonElement request)
    {
        var violations = new ConstraintViolations();
        switch (operation)
        {
            case "CreateTable":
                Required(violations, request, "AttributeDefinitions", "attributeDefinitions");
                TableName(violations, request);
                KeySchema(violations, request);
                violations.Enum(RequestReader.GetString(request, "BillingMode"), "billingMode", BillingModes);
                break;
            case "UpdateTable":
                TableName(violations, request);
                violations.Enum(RequestReader.GetString(request, "BillingMode"), "billingMode", BillingModes);
                break;
            case "GetItem":
                TableName(violations, request);
                Required(violations, request, "Key", "key");
                Capacity(violations, request);
                break;
            case "PutItem":
                Write(violations, request, "Item", "item");
                break;
            case "UpdateItem" or "DeleteItem":
                Write(violations, request, "Key", "key");
                break;
            case "Query":
                TableName(violations, request);
                IndexName(violations, request);
                violations.Enum(RequestReader.GetString(request, "Select"), "select", Select);
                if (RequestReader.GetLong(request, "Limit") is < 1)
                {
                    // Real DynamoDB words a Query's bound otherwise than a Scan's (dynamodb-conformance, tests/tier3/error-messages/query.test.ts
                    // and scan.test.ts): no value, and the member as the API names it.
                    violations.Add(ConstraintViolations.Unvalued("Limit", "Member must have value greater than or equal to 1"));
                }

                Capacity(violations, request);
                break;
            case "Scan":
                TableName(violations, request);
                IndexName(violations, request);
                violations.Range(RequestReader.GetLong(request, "Limit"), "limit", 1, long.MaxValue);
                violations.Enum(RequestReader.GetString(request, "Select"), "select", Select);
                Capacity(violations, request);
                violations.Range(RequestReader.GetLong(request, "TotalSegments"), "totalSegments", 1, 1_000_000);
                violations.Range(RequestReader.GetLong(request, "Segment"), "segment", 0, 999_999);
                break;
        }

        RequestReader.ThrowIfAny(violations);
    }

    /// <summary>PutItem's, UpdateItem's and DeleteItem's shared members, in their models' order.</summary>
    private static void Write(ConstraintViolations violations, JsonElement request, string itemName, string itemMember)
    {
        TableName(violations, request);
        Required(violations, request, itemName, itemMember);
        violations.Enum(RequestReader.GetString(request, "ReturnValues"), "returnValues", ReturnValues);
        Capacity(violations, request);
        violations.Enum(RequestReader.GetString(request, "ReturnItemCollectionMetrics"), "returnItemCollectionMetrics", "SIZE", "NONE");
    }

    /// <summary>TableName: required; a name of 3 to 255 of <c>[a-zA-Z0-9_.-]</c>, or a table's ARN of 1 to 1,024 characters.</summary>
    private static void TableName(ConstraintViolations violations, JsonElement request)
    {
        var table = RequestReader.GetString(request, "TableName");
        if (table is null)
        {
            violations.NotNull("tableName");
        }
        else if (table.StartsWith("arn:", StringComparison.Ordinal))
        {
            violations.Length(table, "tableName", 1, 1024);
        }
        else
        {
            RequestReader.CheckTableName(violations, table, "tableName");
        }
    }

    private static void IndexName(ConstraintViolations violations, JsonElement request)
    {
        if (RequestReader.GetString(request, "IndexName") is { } index)
        {
            RequestReader.CheckTableName(violations, index, "indexName");
        }
    }

    /// <summary>CreateTable's KeySchema: required, one or two elements (the list printed as Java prints it when empty).</summary>
    private static void KeySchema(ConstraintViolations violations, JsonElement request)
    {
        if (RequestReader.GetArray(request, "KeySchema") is not { } schema)
        {
            violations.NotNull("keySchema");
        }
        else if (schema.GetArrayLength() == 0)
        {
            violations.Add("[]", "keySchema", "Member must have length greater than or equal to 1");
        }
    }

    private static void Capacity(ConstraintViolations violations, JsonElement request) =>
        violations.Enum(RequestReader.GetString(request, "ReturnConsumedCapacity"), "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");

    private static void Required(ConstraintViolations violations, JsonElement request, string name, string member)
    {
        if (!RequestReader.Has(request, name))
        {
            violations.NotNull(member);
        }
    }
}
