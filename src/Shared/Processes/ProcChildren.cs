using System.Globalization;

namespace Cloister.Shared.Processes;

/// <summary>What <c>/proc/{pid}/task/{pid}/children</c> says of a process's children.</summary>
internal static class ProcChildren
{
    /// <summary>The first child of <paramref name="pid"/>'s main thread; null when it has none yet or is gone.</summary>
    public static int? FirstOf(int pid)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return children.Length > 0 && int.TryParse(children[0], NumberStyles.None, CultureInfo.InvariantCulture, out var child) ? child : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
