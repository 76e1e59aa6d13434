using System.CommandLine;
using System.Text.Json;
using Cloister.Model;
using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister status [--json]</c>: the running stacks, their resources, the hosts and the services with their health.</summary>
internal static class StatusCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var verb = new Command("status", "Show the running stacks: resources, hosts and services with their addresses and health, functions, load balancer targets.") { json };
        verb.SetAction(async (parse, cancellationToken) =>
        {
            var state = StatePaths.FromEnvironment();
            var output = parse.InvocationConfiguration.Output;
            var (status, problem, exitCode) = await StackChannel.ReadyStatusAsync(state, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("cloister status: " + problem).ConfigureAwait(false);
                return exitCode;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(status, CliJson.Printed.StackStatus)).ConfigureAwait(false);
                return 0;
            }

            var console = CliConsole.For(output);
            console.MarkupLineInterpolated($"[bold]{status.State}[/] in {status.Region}, sandbox {status.Prefix}{(status.Rootless ? " (rootless)" : string.Empty)}, host pid {status.HostProcessId}, up since {status.StartedAt:u}{(status.ReadyAfterMilliseconds is { } ms ? $" (ready in {ms} ms)" : string.Empty)}");
            foreach (var stack in status.Stacks)
            {
                var resources = new Table().Title($"{stack.StackName} — {stack.StackStatus}").AddColumns("Logical id", "Type", "Physical id", "Status");
                foreach (var resource in stack.Resources)
                {
                    resources.AddRow(Markup.Escape(resource.LogicalResourceId), Markup.Escape(resource.ResourceType), Markup.Escape(resource.PhysicalResourceId), resource.Running ? resource.ResourceStatus : resource.ResourceStatus + " (inert)");
                }

                CliConsole.Write(console, resources);
            }

            var hosts = new Table().Title("Hosts").AddColumns("Name", "Kind", "Address", "Host name", "Network");
            foreach (var host in status.Hosts.Where(h => h.Kind is "Instance" or "OnPremisesHost" or "OnPremisesDnsServer" or "EndpointInterface" or "ResolverEndpoint"))
            {
                hosts.AddRow(Markup.Escape(host.Name), host.Kind, host.Address, Markup.Escape(host.Hostname), Markup.Escape(host.Network ?? string.Empty));
            }

            CliConsole.Write(console, hosts);
            var services = new Table().Title("Services").AddColumns("Service", "Endpoints", "Health");
            foreach (var service in status.Services)
            {
                services.AddRow(Markup.Escape(service.Name), Markup.Escape(string.Join(" ", service.Endpoints)), service.Health == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(service.Health)}[/]");
            }

            foreach (var function in status.Functions)
            {
                services.AddRow(Markup.Escape($"function {function.FunctionName}"), function.Runtime, $"[green]ok[/] ({function.ExecutionEnvironments} warm, {function.ConcurrentExecutions} running)");
            }

            CliConsole.Write(console, services);
            if (!status.Targets.IsDefaultOrEmpty)
            {
                var targets = new Table().Title("Load balancer targets").AddColumns("Target group", "Target", "Health", "Reason");
                foreach (var target in status.Targets)
                {
                    var group = target.TargetGroupArn[(target.TargetGroupArn.LastIndexOf(':') + 1)..];
                    targets.AddRow(Markup.Escape(group), $"{target.Id}:{target.Port}", target.State == "healthy" ? "[green]healthy[/]" : $"[yellow]{target.State}[/]", Markup.Escape(target.Reason ?? string.Empty));
                }

                CliConsole.Write(console, targets);
            }

            return 0;
        });
        return verb;
    }
}
