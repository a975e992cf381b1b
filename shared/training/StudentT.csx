using System;

/// <summary>Student's t distribution: CDF through the regularized incomplete beta function (continued fraction, Lentz's method), quantile by bisection.</summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) for <paramref name="df"/> degrees of freedom.</summary>
    public static double Cdf(double t, double df)
    {
        if (!(df > 0)) throw new ArgumentOutOfRangeException(nameof(df), "degrees of freedom must be > 0");
        if (double.IsNaN(t)) return double.NaN;
        double x = df / (df + t * t);
        double tail = 0.5 * RegularizedBeta(x, df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="p"/>, e.g. Quantile(0.975, 2) = 4.3027.</summary>
    public static double Quantile(double p, double df)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), "p must be in (0, 1)");
        if (p < 0.5) return -Quantile(1 - p, df);
        double lo = 0, hi = 1;
        while (Cdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, hi); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Cdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>I_x(a, b).</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x < (a + 1) / (a + b + 2)) return Math.Exp(lnFront) * BetaFraction(x, a, b) / a;
        return 1 - Math.Exp(lnFront) * BetaFraction(1 - x, b, a) / b;
    }

    static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 500; m++)
        {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d; if (Math.Abs(d) < tiny) d = tiny; d = 1 / d;
            c = 1 + num / c; if (Math.Abs(c) < tiny) c = tiny;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, 9 terms).</summary>
    public static double LogGamma(double x)
    {
        double[] g = { 0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                       12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7 };
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double a = g[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += g[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }
}
