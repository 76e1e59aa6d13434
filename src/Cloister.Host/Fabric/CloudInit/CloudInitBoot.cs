using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Cloister.Host.Fabric.CloudInit;

/// <summary>
/// Turns user data that is not a lone <c>#!</c> script (<c>#cloud-config</c>, MIME multi-part) into what cloud-init
/// would run at first boot, written under the instance's folder as cloud-init writes <c>/var/lib/cloud/instance</c>:
/// <c>scripts/part-001</c>... for the shell-script parts, <c>scripts/runcmd</c>, <c>bootcmd</c>, the
/// <c>write_files</c> contents, and <c>cloud-init</c>, a <c>/bin/sh</c> script that runs the modules in cloud-init's
/// order (init: <c>bootcmd</c>, <c>write_files</c>, <c>set_hostname</c>; final: <c>package_update_upgrade_install</c>,
/// <c>write_files_deferred</c>, <c>scripts_user</c>, which runs the parts and then <c>runcmd</c>, by name). A module
/// that fails is a line in the log and the boot goes on, as cloud-init goes on; the script's exit status is 1 when one did.
/// </summary>
internal static class CloudInitBoot
{
    /// <summary>The prefix of every line the boot writes itself to the console log.</summary>
    public const string Prefix = "Cloister cloud-init: ";

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The script to run for <paramref name="parts"/>, written with what it runs under <paramref name="folder"/>.</summary>
    /// <param name="parts">The user data's parts.</param>
    /// <param name="instanceId">The instance id (bootcmd's <c>INSTANCE_ID</c>).</param>
    /// <param name="folder">The instance's folder (cloud-init's <c>/var/lib/cloud/instance</c>).</param>
    /// <param name="warnings">What <c>up</c> should warn of: modules and parts not applied, packages not installed.</param>
    public static string Prepare(ImmutableArray<UserDataPart> parts, string instanceId, string folder, out ImmutableArray<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var notes = ImmutableArray.CreateBuilder<string>();
        var config = CloudConfig.Parse(parts.Where(p => p.ContentType == UserDataPart.CloudConfig).Select(p => p.Content));
        var scripts = Path.Combine(folder, "scripts");
        Directory.CreateDirectory(scripts);
        var userScripts = new List<string>();
        foreach (var part in parts.Where(p => p.ContentType == UserDataPart.ShellScript))
        {
            var path = Path.Combine(scripts, string.Create(CultureInfo.InvariantCulture, $"part-{userScripts.Count + 1:D3}"));
            WriteExecutable(path, part.Content);
            userScripts.Add(path);
        }

        foreach (var part in parts.Where(p => p.ContentType is not (UserDataPart.ShellScript or UserDataPart.CloudConfig)))
        {
            notes.Add($"a user data part of type {part.ContentType} is not run (Cloister runs text/x-shellscript and text/cloud-config parts)");
        }

        if (!config.NotApplied.IsEmpty)
        {
            notes.Add($"cloud-config modules not applied: {string.Join(", ", config.NotApplied)}");
        }

        if (config.RunCmd is { } runcmd)
        {
            var path = Path.Combine(scripts, "runcmd");
            WriteExecutable(path, runcmd);
            userScripts.Add(path);
        }

        var script = new StringBuilder();
        script.Append("#!/bin/sh\n")
            .Append("# cloud-init's first boot of ").Append(instanceId).Append(" as Cloister runs it, written from its user data.\n")
            .Append("failed=0\n")
            .Append("note() { echo \"").Append(Prefix).Append("$*\"; }\n")
            .Append("fail() { echo \"").Append(Prefix).Append("$*\"; failed=1; }\n")
            .Append("put() { mkdir -p \"$(dirname \"$2\")\" && if [ \"$4\" = append ]; then cat \"$1\" >>\"$2\"; else cat \"$1\" >\"$2\"; fi && chmod \"$3\" \"$2\"; }\n");
        foreach (var line in notes.Concat(config.Problems))
        {
            script.Append("note ").Append(CloudConfig.Quote(line)).Append('\n');
        }

        if (config.BootCmd is { } bootcmd)
        {
            var path = Path.Combine(folder, "bootcmd");
            WriteExecutable(path, bootcmd);
            script.Append("note 'bootcmd: running'\n")
                .Append("INSTANCE_ID=").Append(CloudConfig.Quote(instanceId)).Append(" /bin/sh ").Append(CloudConfig.Quote(path))
                .Append(" || fail \"bootcmd failed with exit status $?\"\n");
        }

        WriteFiles(script, config.WriteFiles.Where(f => !f.Defer).ToList(), folder, "write_files");
        if (config.Hostname is { } hostname)
        {
            script.Append("note ").Append(CloudConfig.Quote("set_hostname: " + hostname)).Append('\n')
                .Append("hostname ").Append(CloudConfig.Quote(hostname)).Append(" || fail 'set_hostname failed'\n");
        }

        if (config.WantsPackages)
        {
            script.Append("note ").Append(CloudConfig.Quote("package_update_upgrade_install: " + PackagesNote(config))).Append('\n');
        }

        WriteFiles(script, config.WriteFiles.Where(f => f.Defer).ToList(), folder, "write_files_deferred");
        foreach (var path in userScripts)
        {
            var name = Path.GetFileName(path);
            script.Append("note 'scripts_user: running ").Append(name).Append("'\n")
                .Append(CloudConfig.Quote(path)).Append(" || fail \"scripts_user: ").Append(name).Append(" failed with exit status $?\"\n");
        }

        script.Append("note \"finished at $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n")
            .Append("exit $failed\n");
        var entry = Path.Combine(folder, "cloud-init");
        WriteExecutable(entry, script.ToString());
        notes.AddRange(config.Problems);
        if (config.WantsPackages)
        {
            notes.Add("package_update_upgrade_install: " + PackagesNote(config));
        }

        warnings = notes.ToImmutable();
        return entry;
    }

    private static string PackagesNote(CloudConfig config)
    {
        var steps = new List<string>();
        if (config.PackageUpdate)
        {
            steps.Add("update the package index");
        }

        if (config.PackageUpgrade)
        {
            steps.Add("upgrade the packages");
        }

        if (!config.Packages.IsEmpty)
        {
            steps.Add("install " + string.Join(", ", config.Packages));
        }

        return $"cannot {string.Join(", ", steps)}: the sandbox has no network to a package repository and runs this machine's OS, "
            + "not the AMI's; the module fails as cloud-init's does without a repository, and the boot goes on";
    }

    private static void WriteFiles(StringBuilder script, List<WriteFile> files, string folder, string module)
    {
        if (files.Count == 0)
        {
            return;
        }

        var staged = Path.Combine(folder, module);
        Directory.CreateDirectory(staged);
        script.Append("note ").Append(CloudConfig.Quote($"{module}: {string.Join(", ", files.Select(f => f.Path))}")).Append('\n');
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var content = Path.Combine(staged, i.ToString("D3", CultureInfo.InvariantCulture));
            File.WriteAllBytes(content, file.Content);
            if (file.Owner is { } owner && owner is not ("root" or "root:root"))
            {
                script.Append("note ").Append(CloudConfig.Quote($"{module}: {file.Path} stays root's (owner {owner} is not applied: the sandbox's instances share this machine's users)")).Append('\n');
            }

            var mode = Convert.ToString((int)file.Mode, 8).PadLeft(4, '0');
            script.Append("put ").Append(CloudConfig.Quote(content)).Append(' ').Append(CloudConfig.Quote(file.Path)).Append(' ').Append(mode)
                .Append(file.Append ? " append" : " replace")
                .Append(" || fail ").Append(CloudConfig.Quote($"{module}: could not write {file.Path}")).Append('\n');
        }
    }

    private static void WriteExecutable(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Executable);
    }
}
