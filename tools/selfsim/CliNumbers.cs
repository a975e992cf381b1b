using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>
/// The one number rule of the command line: every number is read and written in the invariant culture (a decimal
/// point, whatever LANG says: under de_DE "--lr 0.0005" is 0.0005, never 5), and every numeric option refuses NaN and
/// ±Infinity, and negative values unless it is one of <see cref="MayBeNegative"/> (seeds). The check sits on the option
/// layer, so it covers every command, present and future, before any command code sees the value.
/// </summary>
public static class CliNumbers
{
    /// <summary>Numeric options for which a negative value means something.</summary>
    public static readonly string[] MayBeNegative = { "--seed" };

    static readonly Type[] Numeric = { typeof(double), typeof(float), typeof(int), typeof(long), typeof(decimal) };

    public static bool IsNumeric(Option o)
    {
        var t = Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType;
        return Numeric.Contains(t);
    }

    /// <summary>Adds the finite / non-negative validator to every numeric option under <paramref name="cmd"/>.</summary>
    public static void Guard(Command cmd)
    {
        foreach (var o in cmd.Options.Where(IsNumeric))
        {
            var option = o;
            option.Validators.Add(r =>
            {
                foreach (var token in r.Tokens)
                {
                    // The parser takes "0,5" as 5 (a thousands separator); a number here has a decimal point and nothing else.
                    if (!double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    {
                        r.AddError($"{option.Name} '{token.Value}' is not a number. Numbers take a decimal point (0.5, 1e-3), whatever the locale, and no thousands separators.");
                        continue;
                    }
                    if (!double.IsFinite(v))
                        r.AddError($"{option.Name} must be a finite number; got {token.Value} (NaN and Infinity are not values).");
                    else if (v < 0 && !MayBeNegative.Contains(option.Name))
                        r.AddError($"{option.Name} must be 0 or more; got {token.Value}.");
                }
            });
        }
        foreach (var sub in cmd.Subcommands) Guard(sub);
    }

    /// <summary>One line for the first parse error, with the fix; a number that failed to parse is told about the decimal point.</summary>
    public static string ParseErrorLine(ParseResult parse)
    {
        var e = parse.Errors[0].Message.Trim();
        if (e.Contains("Cannot parse argument", StringComparison.Ordinal))
            e = e.TrimEnd('.') + ". Numbers take a decimal point (0.5, 1e-3), whatever the locale, and no thousands separators.";
        string name = parse.CommandResult.Command is RootCommand ? "selfsim" : "selfsim " + string.Join(" ",
            parse.CommandResult.Command.Parents.OfType<Command>().Where(c => c is not RootCommand).Select(c => c.Name).Reverse()
                .Append(parse.CommandResult.Command.Name));
        return $"{e.TrimEnd('.')}. See '{name} --help'.";
    }
}
