package dev.nnlab.tensor;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.ludovic.netlib.blas.BLAS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The BLAS behind every matrix product, and OpenBLAS's thread count chosen per call from the product's size.
 *
 * <p>Which BLAS: netlib's JNI to the system OpenBLAS ({@code libopenblas0}); without one, the OpenBLAS of
 * {@code org.bytedeco:openblas}'s natives jar, from the class path or unpacked by {@code ./nnlab} into
 * {@code ~/.cache/nnlab/openblas}; netlib's pure-Java code last, with a warning that says how to get the native
 * one. The first use prints one line naming it; {@link Tensor#blasBackend()} tells it later.
 *
 * <p>Threads: OpenBLAS runs products below {@link #THREADED_MNK} multiply-adds on the caller's thread and bigger
 * ones on every core, switched through {@code openblas_set_num_threads} (JNA, bound in the background; ~0.5 us a
 * switch, and a small product switches nothing). The choice depends on the size only: a busy machine does not
 * change it, so a product gives the same bits from run to run. An {@code OPENBLAS_NUM_THREADS} or {@code OMP_NUM_THREADS} in the environment wins.
 */
final class Blas {
    private static final String LIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    /**
     * Products with at least this many multiply-adds (m*n*k) use all cores inside OpenBLAS. Below it, from
     * {@link Linalg#SPLIT_MNK}, nnlab's own two-way split is faster (measured on a quiet machine: 256^3 198 vs
     * 220 us, 384^3 640 vs 674; a tie at 512^3; see {@code Crossover}).
     */
    static final long THREADED_MNK = 512L * 512 * 512;
    /** netlib warns for each implementation it cannot load even when a later one loads; we say it once, below. */
    private static final Logger NETLIB_LOG = quiet("dev.ludovic.netlib.blas.InstanceBuilder");
    private static final String SOURCE = chooseNative();
    static final BLAS IMPL = BLAS.getInstance();
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final String OPENBLAS = openBlasPath();
    /**
     * Whether nnlab sets OpenBLAS's threads: OpenBLAS and no thread count set by the user. With one core (say
     * {@code -XX:ActiveProcessorCount=1}) every product runs on one thread, whatever OpenBLAS counted itself.
     */
    private static final boolean THREADS_BY_CALL = OPENBLAS != null && userThreads() == null;
    private static final Object BIG = new Object();
    /** Set once JNA has bound the thread switch; JNA's start-up (~0.1-0.5 s) runs off the first product's path. */
    private static volatile boolean bound;

    static {
        // a note in the first cell that multiplies; only the pure-Java fallback is a warning
        (isNative() ? System.out : System.err).println(report());
        if (THREADS_BY_CALL) {
            Thread t = new Thread(() -> bound = Threads.bind(OPENBLAS), "nnlab-openblas-threads");
            t.setDaemon(true);
            t.start();
        }
    }

    private Blas() { }

    /** Which BLAS runs the products, e.g. {@code JNIBLAS} (native) or {@code VectorBLAS}/{@code Java11BLAS}. */
    static String backend() {
        return IMPL.getClass().getSimpleName();
    }

    /** Whether the products run on a native BLAS. */
    static boolean isNative() {
        return IMPL instanceof dev.ludovic.netlib.blas.NativeBLAS;
    }

    /** The one-line report printed on first use: which BLAS, from where, and how threads are chosen. */
    static String report() {
        if (!isNative()) {
            return "nnlab: WARNING: no native BLAS" + (SOURCE.isEmpty() ? "" : " (" + SOURCE + " did not load)")
                    + ", matrix products run on netlib's pure-Java " + backend()
                    + " (5-20x slower). Fix: 'sudo apt-get install libopenblas0' (Debian/Ubuntu; './nnlab' does it when "
                    + "it can), or put org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64 on the class path (in a "
                    + "notebook: %maven org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64), then restart the JVM or kernel.";
        }
        String threads = THREADS_BY_CALL && CORES == 1 ? "1 thread, 1 core"
                : THREADS_BY_CALL ? "1 thread below " + cube(THREADED_MNK) + " multiply-adds, " + CORES + " above"
                : userThreads() != null ? "threads from the environment (" + userThreads() + ")" : "OpenBLAS's own threads";
        return "nnlab: BLAS " + backend() + " (" + (OPENBLAS != null ? Path.of(OPENBLAS).getFileName() : "native")
                + (SOURCE.isEmpty() ? "" : ", " + SOURCE) + "; " + threads + ")";
    }

    /** Column-major {@code C = alpha op(A) op(B) + beta C}, as netlib's sgemm, on as many threads as its size deserves. */
    static void sgemm(String ta, String tb, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b,
                      int bo, int ldb, float beta, float[] c, int co, int ldc) {
        if (!bound || CORES == 1 || (long) m * n * k < THREADED_MNK) {
            IMPL.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            return;
        }
        synchronized (BIG) {
            Parallel.ran(CORES);
            Threads.openblas_set_num_threads(CORES);
            try {
                IMPL.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            } finally {
                Threads.openblas_set_num_threads(1);
            }
        }
    }

    /** Column-major dgemm (gradcheck's float64), always on the caller's thread count. */
    static void dgemm(String ta, String tb, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b,
                      int bo, int ldb, double beta, double[] c, int co, int ldc) {
        IMPL.dgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
    }

    private static String cube(long v) {
        return Math.round(Math.cbrt(v)) + "^3";
    }

    private static Logger quiet(String name) {
        Logger log = Logger.getLogger(name);
        log.setLevel(Level.SEVERE);
        return log;
    }

    /** {@code OPENBLAS_NUM_THREADS} or {@code OMP_NUM_THREADS} when the user set one, else null. */
    private static String userThreads() {
        String v = System.getenv("OPENBLAS_NUM_THREADS");
        return v != null && !v.isBlank() ? "OPENBLAS_NUM_THREADS=" + v
                : System.getenv("OMP_NUM_THREADS") != null ? "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") : null;
    }

    /**
     * Points netlib at a bundled OpenBLAS when the system has no {@code libblas.so.3}; returns where it came from
     * ("" when netlib looks on its own).
     */
    private static String chooseNative() {
        if (System.getProperty(LIB_PATH) != null) return LIB_PATH + "=" + System.getProperty(LIB_PATH);
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || systemBlas()) return "";
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "nnlab", "openblas");
        String dir = "org/bytedeco/openblas/linux-" + arch + "/";
        try (InputStream probe = Blas.class.getClassLoader().getResourceAsStream(dir + "libopenblas.so.0")) {
            if (probe != null) {
                Files.createDirectories(cache);
                // libopenblas.so.0 finds its Fortran runtime beside itself ($ORIGIN).
                for (String lib : new String[] {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"}) {
                    java.net.URL url = Blas.class.getClassLoader().getResource(dir + lib);
                    if (url == null) continue;
                    java.net.URLConnection con = url.openConnection();
                    Path target = cache.resolve(lib);
                    if (Files.isRegularFile(target) && Files.size(target) == con.getContentLengthLong()) continue;
                    try (InputStream in = con.getInputStream()) {
                        Path tmp = Files.createTempFile(cache, lib, ".part");
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("nnlab: could not unpack the bundled OpenBLAS into " + cache + ": " + e);
        }
        Path lib = cache.resolve("libopenblas.so.0");
        if (!Files.isRegularFile(lib)) return "";
        System.setProperty(LIB_PATH, lib.toString());
        return "org.bytedeco:openblas, no system libblas.so.3";
    }

    /**
     * Whether {@code libblas.so.3}, the library netlib's JNI opens by default, is in the linker's usual places
     * (a file check: loading JNA just to ask would cost the first product ~0.2 s).
     */
    private static boolean systemBlas() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        java.util.List<String> dirs = new java.util.ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) dirs.addAll(java.util.Arrays.asList(ld.split(":")));
        for (String d : new String[] {"/usr/lib/" + arch + "-linux-gnu", "/lib/" + arch + "-linux-gnu", "/usr/lib64",
            "/lib64", "/usr/lib", "/lib", "/usr/local/lib"}) {
            dirs.add(d);
        }
        for (String d : dirs) {
            if (!d.isEmpty() && Files.exists(Path.of(d, "libblas.so.3"))) return true;
        }
        return false;
    }

    /** The OpenBLAS file this process has mapped (Linux), or null. */
    private static String openBlasPath() {
        if (!isNative()) return null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) continue;
                String path = line.substring(slash);
                String file = path.substring(path.lastIndexOf('/') + 1);
                if (file.startsWith("libopenblas") && file.contains(".so")) return path;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** OpenBLAS's thread switch, bound to the very library netlib loaded. */
    private static final class Threads {
        static native void openblas_set_num_threads(int n);

        static boolean bind(String path) {
            try {
                Native.register(Threads.class, NativeLibrary.getInstance(path));
                openblas_set_num_threads(1);
                return true;
            } catch (Throwable e) {
                return false;
            }
        }
    }
}
