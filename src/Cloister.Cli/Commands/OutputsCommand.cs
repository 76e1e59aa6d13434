using System.CommandLine;
using System.Text.Json;
using Cloister.Host.Status;
using Cloister.Model;
using Spectre.Console;

namespace Cloister.Cli.Commands;

/// <summary><c>cloister outputs [--json]</c>: the stacks' Outputs, as <c>aws cloudformation describe-stacks</c> prints them.</summary>
internal static class OutputsCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print {\"Stacks\":[{\"StackName\",\"StackId\",\"StackStatus\",\"Outputs\":[...]}]} as aws cloudformation describe-stacks does." };
        var verb = new Command("outputs", "Show the running stacks' Outputs.") { json };
        verb.SetAction(async (parse, cancellationToken) =>
        {
            var state = StatePaths.FromEnvironment();
            var (status, problem, exitCode) = await StackChannel.ReadyStatusAsync(state, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("cloister outputs: " + problem).ConfigureAwait(false);
                return exitCode;
            }

            if (parse.GetValue(json))
            {
                var stacks = new DescribeStacks([.. status.Stacks.Select(s => new DescribedStack(s.StackName, s.StackId, s.StackStatus, s.Outputs))]);
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(stacks, CliJson.Printed.DescribeStacks)).ConfigureAwait(false);
                return 0;
            }

            Render(CliConsole.For(parse.InvocationConfiguration.Output), status);
            return 0;
        });
        return verb;
    }

    /// <summary>Prints each stack's outputs as a table.</summary>
    public static void Render(IAnsiConsole console, StackStatus status)
    {
        foreach (var stack in status.Stacks.Where(s => s.Outputs.Length > 0))
        {
            var table = new Table().Title($"Outputs of {stack.StackName}").AddColumns("OutputKey", "OutputValue", "Description");
            foreach (var output in stack.Outputs)
            {
                table.AddRow(Markup.Escape(output.OutputKey), Markup.Escape(output.OutputValue), Markup.Escape(output.Description ?? string.Empty));
            }

            CliConsole.Write(console, table);
        }
    }
}

/// <summary>The shape of <c>describe-stacks</c>' answer.</summary>
/// <param name="Stacks">The stacks.</param>
internal sealed record DescribeStacks(System.Collections.Immutable.ImmutableArray<DescribedStack> Stacks);

/// <summary>One stack of <c>describe-stacks</c>.</summary>
/// <param name="StackName">Its name.</param>
/// <param name="StackId">Its id.</param>
/// <param name="StackStatus">Its status.</param>
/// <param name="Outputs">Its outputs.</param>
internal sealed record DescribedStack(string StackName, string StackId, string StackStatus, System.Collections.Immutable.ImmutableArray<OutputInfo> Outputs);
