using System;
using System.CommandLine;
using System.Linq;
using System.Reflection;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Training;

/// <summary>The CLI restates no training default: each option's default is TrainingOptions' own.</summary>
public class TrainingCliDefaultsTests
{
    static (TrainingCliOptions Opts, Command Cmd) Cli()
    {
        var opts = new TrainingCliOptions();
        var cmd = new Command("train");
        opts.AddTo(cmd);
        return (opts, cmd);
    }

    [Fact]
    public void An_empty_command_line_builds_the_default_TrainingOptions()
    {
        var (opts, cmd) = Cli();
        var d = new TrainingOptions();
        var built = opts.Build(cmd.Parse(Array.Empty<string>()), d.Seed, d.Srate, d.OutDir);
        Assert.Equal(d, built);   // record equality: every property, the nullable "scaled to the run" ones included
        Assert.Equal(SrateObjective.DefaultTarget, built.SrateTarget);
    }

    [Fact]
    public void Each_option_default_is_the_TrainingOptions_value()
    {
        var (opts, cmd) = Cli();
        var d = new TrainingOptions();
        var parse = cmd.Parse(Array.Empty<string>());
        // Option field → the TrainingOptions property whose default it must show (and how the CLI spells it).
        var expected = new (string Field, object? Value)[]
        {
            ("Model", d.Model), ("Scale", d.Scale.ToString().ToLowerInvariant()), ("Dataset", d.Dataset), ("Epochs", d.Epochs),
            ("BatchSize", d.BatchSize), ("Lr", d.LearningRate), ("NoLrScaling", !d.ScaleLearningRate),
            ("Schedule", d.Schedule == LrSchedule.PerEpoch ? "per-epoch" : "per-step"), ("WarmupEpochs", d.WarmupEpochs),
            ("WeightDecay", d.WeightDecay), ("LabelSmoothing", d.LabelSmoothing), ("Augment", d.Augment), ("Deterministic", d.Deterministic),
            ("Threads", d.Threads), ("SrateWeight", d.SrateWeight), ("SampleEvery", d.SampleEvery), ("SrateChunks", d.SrateChunks),
            ("ChangeLimit", d.ChangeLimit), ("TrainLimit", d.TrainLimit), ("TestLimit", d.TestLimit), ("Device", d.Device), ("DataDir", d.DataDir),
            ("InputSize", d.InputSize), ("DeitAugment", d.DeitAugment),
        };
        var fields = typeof(TrainingCliOptions).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => typeof(Option).IsAssignableFrom(f.FieldType)).ToDictionary(f => f.Name);
        foreach (var (field, value) in expected)
        {
            Assert.True(fields.ContainsKey(field), $"TrainingCliOptions has no option field {field}");
            var option = (Option)fields[field].GetValue(opts)!;
            var got = typeof(ParseResult).GetMethods().Single(m => m.Name == "GetValue" && m.IsGenericMethod
                    && m.GetParameters()[0].ParameterType.IsGenericType && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(Option<>))
                .MakeGenericMethod(option.GetType().GetGenericArguments()[0]).Invoke(parse, new object[] { option });
            Assert.True(Equals(value, got), $"{option.Name}: the CLI default is {got ?? "null"}, TrainingOptions says {value ?? "null"}");
        }
        // The target 0.3 is written once: SrateObjective.DefaultTarget; the CLI's --srate-target shows it without restating it.
        Assert.Null(parse.GetValue(opts.SrateTarget));
        Assert.Contains(SrateObjective.DefaultTarget.ToString(System.Globalization.CultureInfo.InvariantCulture), opts.SrateTarget.Description);
    }
}
