#nullable enable
using System;

// Special functions for the fits, written for this project: log-gamma (Lanczos, g=7), erfc (Taylor series below 2.5, Lentz
// continued fraction above), regularized incomplete beta (continued fraction), normal and χ²(1) tails.

/// <summary>Special functions used by the power-law, box-dimension and hierarchy fits (written for this project).</summary>
public static class SpecialFunctions
{
    static readonly double[] Lanczos =
    {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    };

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double a = Lanczos[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>Complementary error function, relative accuracy ~1e-14.</summary>
    public static double Erfc(double x)
    {
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2.5)
        {
            // erf series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); fine below 2.5 in double precision.
            double sum = x, term = x, x2 = x * x;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        return Math.Exp(LogErfcLarge(x));
    }

    /// <summary>ln erfc(x), accurate far into the tail (no underflow).</summary>
    public static double LogErfc(double x) => x < 2.5 ? Math.Log(Erfc(x)) : LogErfcLarge(x);

    static double LogErfcLarge(double x)
    {
        // Continued fraction erfc x = e^{-x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) evaluated by modified Lentz.
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++)
        {
            double a = k / 2.0;
            d = x + a * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = x + a / c; if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return -x * x - 0.5 * Math.Log(Math.PI) - Math.Log(f);
    }

    /// <summary>e^x − 1 without cancellation near 0 (Kahan's trick).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>Standard normal CDF Φ(z).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>ln(1 − Φ(z)), accurate in the far upper tail.</summary>
    public static double LogNormalSf(double z) => Math.Log(0.5) + LogErfc(z / Math.Sqrt(2));

    /// <summary>Two-sided normal p-value for a z statistic.</summary>
    public static double TwoSidedNormalP(double z) => Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>Survival function of χ² with one degree of freedom.</summary>
    public static double ChiSquare1Sf(double x) => x <= 0 ? 1 : Erfc(Math.Sqrt(x / 2));

    /// <summary>Regularized incomplete beta I_x(a, b).</summary>
    public static double IncompleteBetaRegularized(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lbt = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x < (a + 1) / (a + b + 2)) return Math.Exp(lbt) * BetaFraction(a, b, x) / a;
        return 1 - Math.Exp(lbt) * BetaFraction(b, a, 1 - x) / b;
    }

    static double BetaFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 1000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-15) break;
        }
        return h;
    }
}
