using Cloister.Model.Api;

namespace Cloister.Templates.Mapping;

/// <summary>The <c>ContentHandling</c> values API Gateway accepts on integrations and integration responses.</summary>
internal static class ContentHandlingValues
{
    public const string Invalid = "is not CONVERT_TO_TEXT or CONVERT_TO_BINARY (leave it out to pass the payload through).";

    /// <summary>The value, <see cref="ContentHandling.Passthrough"/> when absent; null when it is not one API Gateway knows.</summary>
    public static ContentHandling? Parse(string? text) => text switch
    {
        null => ContentHandling.Passthrough,
        "CONVERT_TO_TEXT" => ContentHandling.ConvertToText,
        "CONVERT_TO_BINARY" => ContentHandling.ConvertToBinary,
        _ => null,
    };
}
