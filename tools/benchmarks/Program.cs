using System;
using System.Linq;
using SelfSim.Benchmarks;

var suites = typeof(IBenchSuite).Assembly.GetTypes()
    .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

if (args.Length > 0 && args[0] is "-h" or "--help" or "list")
{
    foreach (var s in suites) Console.WriteLine($"{s.Name,-14} {s.Description}");
    return 0;
}
var chosen = args.Length == 0 ? suites : suites.Where(s => s.Name == args[0]).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No benchmark suite '{args[0]}'. Suites: {string.Join(", ", suites.Select(s => s.Name))}");
    return 1;
}
foreach (var s in chosen)
{
    Console.WriteLine($"== {s.Name}: {s.Description}");
    s.Run(args.Skip(args.Length > 0 && args[0] == s.Name ? 1 : 0).ToArray());
}
return 0;
