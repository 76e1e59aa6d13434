using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cloister.Gateway.Templates;

/// <summary>JSON string quoting as API Gateway writes messages: only what JSON requires is escaped.</summary>
internal static class JsonText
{
    public static string Quote(string value) =>
        "\"" + JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() + "\"";
}
