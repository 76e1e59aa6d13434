namespace Cloister.Functions.Launching;

/// <summary>
/// What a start found of Cloisters that were killed: their <c>cloister-{pid}</c> cgroups removed, the processes still
/// running in them (killed), and those that could not be removed (a process stuck in the kernel).
/// </summary>
internal readonly record struct StaleCgroups(int Removed, int Processes, int Left);
