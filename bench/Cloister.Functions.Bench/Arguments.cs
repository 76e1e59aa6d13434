namespace Cloister.Functions.Bench;

internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cloister.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the Cloister repository.");
    }
}
