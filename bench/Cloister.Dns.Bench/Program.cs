using Cloister.Dns.Bench;

return await DnsPerfComparison.RunAsync(args);
