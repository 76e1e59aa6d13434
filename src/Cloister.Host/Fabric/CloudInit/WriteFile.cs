namespace Cloister.Host.Fabric.CloudInit;

/// <summary>One entry of cloud-config's <c>write_files</c>, its content decoded.</summary>
/// <param name="Path">The absolute path written.</param>
/// <param name="Content">The bytes written, <c>encoding</c> undone.</param>
/// <param name="Mode">The file's mode (<c>permissions</c>, 0644 when not given).</param>
/// <param name="Owner">The <c>owner</c> given, which Cloister does not apply; null when not given.</param>
/// <param name="Append">Whether the content is appended instead of replacing the file.</param>
/// <param name="Defer">Whether the file is written in the final stage (<c>write_files_deferred</c>), after packages are installed.</param>
internal sealed record WriteFile(string Path, byte[] Content, UnixFileMode Mode, string? Owner, bool Append, bool Defer);
