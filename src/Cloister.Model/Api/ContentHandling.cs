namespace Cloister.Model.Api;

/// <summary>
/// An integration's or integration response's <c>contentHandling</c>: how API Gateway converts a payload between text and
/// binary (developer guide, "Content type conversions in API Gateway").
/// </summary>
public enum ContentHandling
{
    /// <summary>Not set: the payload passes as it is, unless the API's binary media types and the client's headers ask otherwise.</summary>
    Passthrough,
    /// <summary><c>CONVERT_TO_TEXT</c>: a binary payload becomes its base64 text.</summary>
    ConvertToText,
    /// <summary><c>CONVERT_TO_BINARY</c>: a text payload is read as base64 and becomes the bytes it encodes.</summary>
    ConvertToBinary,
}
