using System.Text.Json;
using System.Text.Json.Serialization;
using Cloister.Model;
using Cloister.Shared.Files;

namespace Cloister.Network.Runtime;

/// <summary>Reads and writes the sandbox description and model files of <c>runtime/</c>.</summary>
public static class RuntimeState
{
    /// <summary>The JSON settings of the runtime files: camelCase, enums as strings, indented.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Writes <paramref name="description"/> and <paramref name="model"/> whole (<see cref="AtomicFile"/>): a command
    /// reading them while <c>up</c> rewrites them, or after a crash, finds the old file or the new, never a part.
    /// </summary>
    public static void Write(SandboxOptions options, SandboxDescription description, CloudModel model)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.RuntimeDirectory);
        AtomicFile.Write(options.ModelPath, stream => JsonSerializer.Serialize(stream, model, Json), mode: null);
        AtomicFile.Write(options.DescriptionPath, stream => JsonSerializer.Serialize(stream, description, Json), mode: null);
    }

    /// <summary>Reads the description of the running sandbox, or null when none runs.</summary>
    public static SandboxDescription? ReadDescription(string runtimeDirectory)
    {
        var path = Path.Combine(runtimeDirectory, "sandbox.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<SandboxDescription>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Reads the model of the running sandbox, or null when none runs.</summary>
    public static CloudModel? ReadModel(string runtimeDirectory)
    {
        var path = Path.Combine(runtimeDirectory, "model.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<CloudModel>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Removes the runtime files of a sandbox.</summary>
    public static void Delete(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.RuntimeDirectory))
        {
            return;
        }

        File.Delete(options.DescriptionPath);
        File.Delete(options.ModelPath);
        var hosts = Path.Combine(options.RuntimeDirectory, "hosts");
        if (Directory.Exists(hosts))
        {
            Directory.Delete(hosts, recursive: true);
        }
    }
}
