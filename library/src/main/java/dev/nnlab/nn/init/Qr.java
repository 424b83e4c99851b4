package dev.nnlab.nn.init;

/** Householder QR of a tall matrix in float64, enough for {@link Init#orthogonal_}. */
final class Qr {
    /** The reduced factor Q (m x n, row-major), with columns scaled by sign(diag(R)) as PyTorch's orthogonal_ does. */
    static double[] signFixedQ(double[] a, int m, int n) {
        if (m < n) throw new IllegalArgumentException("Qr expects rows >= cols, got " + m + "x" + n);
        double[] r = a.clone();
        double[][] vs = new double[n][];
        double[] diag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.sqrt(norm);
            double[] v = new double[m - k];
            double alpha = r[k * n + k] >= 0 ? -norm : norm;
            for (int i = k; i < m; i++) v[i - k] = r[i * n + k];
            v[0] -= alpha;
            double vn = 0;
            for (double x : v) vn += x * x;
            if (vn > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i - k] * r[i * n + j];
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) r[i * n + j] -= f * v[i - k];
                }
                vs[k] = v;
                diag[k] = r[k * n + k];
            } else {
                diag[k] = r[k * n + k];
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) continue;
            double vn = 0;
            for (double x : v) vn += x * x;
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
                double f = 2 * dot / vn;
                for (int i = k; i < m; i++) q[i * n + j] -= f * v[i - k];
            }
        }
        for (int j = 0; j < n; j++) {
            double s = Math.signum(diag[j]);
            for (int i = 0; i < m; i++) q[i * n + j] *= s;
        }
        return q;
    }

    private Qr() { }
}
