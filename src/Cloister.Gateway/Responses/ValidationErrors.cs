namespace Cloister.Gateway.Responses;

/// <summary>The refusals of request validation, as AWS words them.</summary>
internal static class ValidationErrors
{
    /// <summary>The method's validator checks parameters and some required ones are missing or blank; <paramref name="names"/> as AWS lists them.</summary>
    public static GatewayError MissingParameters(IEnumerable<string> names) =>
        new("BAD_REQUEST_PARAMETERS", 400, $"Missing required request parameters: [{string.Join(", ", names)}]", "BadRequestException");

    /// <summary>The method's validator checks the body and it does not match the model for its content type.</summary>
    public static GatewayError InvalidBody { get; } = new("BAD_REQUEST_BODY", 400, "Invalid request body", "BadRequestException");
}
