#nullable enable
using System;

// Nelder–Mead downhill simplex (Nelder & Mead, Computer Journal 7, 308, 1965), written for this project.

/// <summary>Derivative-free minimisation for the small maximum-likelihood fits (log-normal, truncated power law).</summary>
public static class NelderMead
{
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
}
