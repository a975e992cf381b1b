#nullable enable
using System;

// Special functions for the fits, written for this project: log-gamma (Lanczos, g=7), erfc (Taylor series below 2.5, Lentz
// continued fraction above), regularized incomplete beta (continued fraction), Student t, Nelder–Mead, least squares.

/// <summary>Numerical special functions used by the power-law, box-dimension and hierarchy fits (written for this project).</summary>
public static class NetStatsMath
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

    /// <summary>
    /// A deterministic seed for stream <paramref name="stream"/> of a seeded computation (SplitMix64 finaliser). Unlike
    /// HashCode.Combine it is the same in every process, so seeded results reproduce across runs.
    /// </summary>
    public static int MixSeed(int seed, int stream, int salt = 0)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)salt * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
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

    /// <summary>Nelder–Mead simplex minimisation of <paramref name="f"/> from <paramref name="x0"/> with initial steps <paramref name="step"/>.</summary>
    public static double[] Minimize(Func<double[], double> f, double[] x0, double[] step, int maxIter = 2000, double tol = 1e-10)
    {
        int n = x0.Length;
        var pts = new double[n + 1][]; var val = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            pts[i] = (double[])x0.Clone();
            if (i > 0) pts[i][i - 1] += step[i - 1];
            val[i] = Safe(f(pts[i]));
        }
        for (int it = 0; it < maxIter; it++)
        {
            Array.Sort(val, pts);
            if (Math.Abs(val[n] - val[0]) <= tol * (Math.Abs(val[0]) + tol)) break;
            var c = new double[n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[j] += pts[i][j] / n;
            double[] Along(double t) { var p = new double[n]; for (int j = 0; j < n; j++) p[j] = c[j] + t * (pts[n][j] - c[j]); return p; }
            var xr = Along(-1); double fr = Safe(f(xr));
            if (fr < val[0])
            {
                var xe = Along(-2); double fe = Safe(f(xe));
                if (fe < fr) { pts[n] = xe; val[n] = fe; } else { pts[n] = xr; val[n] = fr; }
            }
            else if (fr < val[n - 1]) { pts[n] = xr; val[n] = fr; }
            else
            {
                var xc = fr < val[n] ? Along(-0.5) : Along(0.5);
                double fc = Safe(f(xc));
                if (fc < Math.Min(fr, val[n])) { pts[n] = xc; val[n] = fc; }
                else
                    for (int i = 1; i <= n; i++)
                    {
                        for (int j = 0; j < n; j++) pts[i][j] = pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]);
                        val[i] = Safe(f(pts[i]));
                    }
            }
        }
        Array.Sort(val, pts);
        return pts[0];
        static double Safe(double v) => double.IsNaN(v) ? double.PositiveInfinity : v;
    }

    /// <summary>Least-squares line y = a + b x with the slope's standard error and the residuals' RMS.</summary>
    public static (double Intercept, double Slope, double SlopeStdError, double InterceptStdError, double ResidualRms, double RSquared) LinearFit(double[] x, double[] y)
    {
        int n = x.Length;
        if (n < 2) throw new SelfSimException($"A line fit needs at least 2 points; got {n}.");
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); syy += (y[i] - my) * (y[i] - my); }
        if (sxx == 0) throw new SelfSimException("A line fit needs at least two distinct x values.");
        double b = sxy / sxx, a = my - b * mx, sse = 0;
        for (int i = 0; i < n; i++) { double r = y[i] - a - b * x[i]; sse += r * r; }
        double s2 = n > 2 ? sse / (n - 2) : 0;
        return (a, b, Math.Sqrt(s2 / sxx), Math.Sqrt(s2 * (1.0 / n + mx * mx / sxx)), Math.Sqrt(sse / n), syy > 0 ? 1 - sse / syy : 1);
    }
}
