package dev.nnlab.kernel.eval;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileObject;
import javax.tools.JavaFileObject.Kind;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * javac's standard file manager, except that it lists the class path itself: a jar from the central directory
 * that {@link ZipFile} reads (and shares with the class loader that opened the same jar), a directory one package
 * at a time. javac opens every class-path jar as a zip file system and walks all of its entries before the first
 * compile can list a package: for the kernel jar's 29,848 entries that took 430 ms of a cold JVM, this index
 * 120-140 ms. What is listed is what javac lists under JShell: files of the package (and, recursing, of
 * subdirectories named like identifiers), base entries of a multi-release jar (JShell's javac reads no versions).
 * It also gives the binary names of the run-time image's files, which javac lists itself ({@link #inferBinaryName}).
 */
final class JarListing extends ForwardingJavaFileManager<StandardJavaFileManager> implements StandardJavaFileManager {
    /** Jars indexed in this JVM, shared by every JShell: the warm-up's and the user's list the same jar. */
    static final Map<Path, Jar> JARS = new ConcurrentHashMap<>();
    private static final Object DIRECTORY = "directory", NONE = "none";
    /** What each class-path entry is, as first seen: javac too sees a jar changed or made later as it first was. */
    private final Map<Path, Object> containers = new ConcurrentHashMap<>();
    /** The run-time image's module locations listed so far, each with its one path ("/modules/java.base"); others "". */
    private final Map<Location, String> images = new ConcurrentHashMap<>();
    /** The last binary name inferred from an image's file: javac asks twice in a row for each file it lists. */
    private volatile Named last;

    JarListing(StandardJavaFileManager standard) {
        super(standard);
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String pkg, Set<Kind> kinds, boolean recurse)
            throws IOException {
        if (location != StandardLocation.CLASS_PATH) {
            if (!(location instanceof StandardLocation)) {
                images.computeIfAbsent(location, this::imageRoot);
            }
            return super.list(location, pkg, kinds, recurse);
        }
        Iterable<? extends Path> path = fileManager.getLocationAsPaths(location);
        List<JavaFileObject> out = new ArrayList<>();
        if (path == null) {
            return out;
        }
        String dir = pkg.replace('.', '/');
        for (Path p : path) {
            Object c = container(p);
            if (c instanceof Jar jar) {
                jar.list(dir, kinds, recurse, out);
            } else if (c == DIRECTORY) {
                listDirectory(p.resolve(dir), pkg, kinds, recurse, out);
            }
        }
        return out;
    }

    /** Indexes the jars of this JVM's class path, which JShell's javac starts with, ahead of its first compile. */
    static void indexClassPath() {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isRegularFile(Path.of(entry))) {
                jar(Path.of(entry));
            }
        }
    }

    /** A jar, {@link #DIRECTORY} or {@link #NONE}, decided once per path as javac does. */
    private Object container(Path p) {
        Object c = containers.get(p);
        if (c == null) {
            c = Files.isDirectory(p) ? DIRECTORY : Files.isRegularFile(p) ? jar(p) : NONE;
            containers.put(p, c);
        }
        return c;
    }

    /** The shared index of a jar; {@link #NONE} for a file that is no zip or cannot be read, which javac skips too. */
    private static Object jar(Path p) {
        try {
            return JARS.computeIfAbsent(p.toAbsolutePath().normalize(), k -> {
                try {
                    return new Jar(k);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            return NONE;
        }
    }

    private void listDirectory(Path dir, String pkg, Set<Kind> kinds, boolean recurse, List<JavaFileObject> out)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> subdirectories = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (Files.isDirectory(f)) {
                    if (recurse && SourceVersion.isIdentifier(name)) {
                        subdirectories.add(f);
                    }
                } else if (kinds.contains(kindOf(name))) {
                    String binary = (pkg.isEmpty() ? "" : pkg + ".") + name.substring(0, name.length()
                            - kindOf(name).extension.length());
                    for (JavaFileObject o : fileManager.getJavaFileObjects(f)) {
                        out.add(new InDirectory(o, binary));
                    }
                }
            }
        }
        for (Path d : subdirectories) {
            listDirectory(d, (pkg.isEmpty() ? "" : pkg + ".") + d.getFileName(), kinds, true, out);
        }
    }

    /** The path of a location in the run-time image (jrt:), or "" for any other. */
    private String imageRoot(Location location) {
        try {
            Iterable<? extends Path> paths = fileManager.getLocationAsPaths(location);
            Path only = null;
            for (Path p : paths != null ? paths : List.<Path>of()) {
                if (only != null) {
                    return "";
                }
                only = p;
            }
            return only != null && only.getFileSystem().provider().getScheme().equals("jrt") ? only.toString() : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Answers for the files of the class path and of the run-time image itself. javac's own answer for an image
     * file is its path below the module's, which its name holds; on JDK 17 javac first checks the location with a
     * regular expression compiled anew each time, and the first compile asks for some 10,000 files.
     */
    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof Entry e) {
            return e.binaryName();
        }
        if (file instanceof InDirectory d) {
            return d.binaryName;
        }
        Named n = last;
        if (n != null && n.file == file && n.location == location) {
            return n.binaryName;
        }
        String root = images.get(location);
        String name = root == null || root.isEmpty() ? null : file.getName();
        if (name == null || !name.startsWith(root) || name.length() <= root.length() + 1
                || name.charAt(root.length()) != '/') {
            return super.inferBinaryName(location, file);
        }
        String relative = name.substring(root.length() + 1);
        int dot = relative.lastIndexOf('.');
        String binary = (dot < 0 ? relative : relative.substring(0, dot)).replace('/', '.');
        last = new Named(location, file, binary);
        return binary;
    }

    private record Named(Location location, JavaFileObject file, String binaryName) {
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        return a instanceof Entry || b instanceof Entry ? a.equals(b) : super.isSameFile(unwrap(a), unwrap(b));
    }

    @Override
    public boolean contains(Location location, FileObject file) throws IOException {
        if (!(file instanceof Entry e)) {
            return super.contains(location, unwrap(file));
        }
        Iterable<? extends Path> path = fileManager.getLocationAsPaths(location);
        if (path != null) {
            for (Path p : path) {
                if (p.toAbsolutePath().normalize().equals(e.jar.path)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Kind kindOf(String name) {
        for (Kind k : List.of(Kind.CLASS, Kind.SOURCE, Kind.HTML)) {
            if (name.endsWith(k.extension)) {
                return k;
            }
        }
        return Kind.OTHER;
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        fileManager.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        fileManager.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String module, Collection<? extends Path> paths)
            throws IOException {
        fileManager.setLocationForModule(location, module, paths);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return fileManager.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(unwrap(file));
    }

    private static FileObject unwrap(FileObject f) {
        return f instanceof InDirectory d ? d.file() : f;
    }

    @Override
    public void setPathFactory(PathFactory f) {
        fileManager.setPathFactory(f);
    }

    /** A jar's entries by package directory ("a/b"), each package's file names to entries. */
    private static final class Jar {
        final Path path;
        final ZipFile zip;
        final Map<String, List<ZipEntry>> packages = new HashMap<>();

        Jar(Path path) throws IOException {
            this.path = path;
            zip = new ZipFile(path.toFile());
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry e = all.nextElement();
                String name = e.getName();
                if (!e.isDirectory()) {
                    int slash = name.lastIndexOf('/');
                    packages.computeIfAbsent(slash < 0 ? "" : name.substring(0, slash), k -> new ArrayList<>()).add(e);
                }
            }
        }

        void list(String dir, Set<Kind> kinds, boolean recurse, List<JavaFileObject> out) {
            for (ZipEntry e : packages.getOrDefault(dir, List.of())) {
                Kind k = kindOf(e.getName());
                if (kinds.contains(k)) {
                    out.add(new Entry(this, e, k));
                }
            }
            if (recurse) {
                String prefix = dir.isEmpty() ? "" : dir + "/";
                for (String sub : packages.keySet()) {
                    if (sub.startsWith(prefix) && !sub.equals(dir) && identifiers(sub.substring(prefix.length()))) {
                        list(sub, kinds, false, out);
                    }
                }
            }
        }

        private static boolean identifiers(String relative) {
            for (String part : relative.split("/")) {
                if (!SourceVersion.isIdentifier(part)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A file of a class-path directory: javac's own file object, with the binary name it was listed under. */
    private static final class InDirectory extends ForwardingJavaFileObject<JavaFileObject> {
        final String binaryName;

        InDirectory(JavaFileObject file, String binaryName) {
            super(file);
            this.binaryName = binaryName;
        }

        JavaFileObject file() {
            return fileObject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InDirectory d && d.fileObject.equals(fileObject);
        }

        @Override
        public int hashCode() {
            return fileObject.hashCode();
        }
    }

    /** A file in a jar, as javac's own jar file objects name it: {@code /path/x.jar(a/B.class)}. */
    private static final class Entry implements JavaFileObject {
        final Jar jar;
        final ZipEntry entry;
        final Kind kind;

        Entry(Jar jar, ZipEntry entry, Kind kind) {
            this.jar = jar;
            this.entry = entry;
            this.kind = kind;
        }

        String binaryName() {
            String n = entry.getName();
            int dot = n.lastIndexOf('.');
            return (dot > n.lastIndexOf('/') ? n.substring(0, dot) : n).replace('/', '.');
        }

        @Override
        public Kind getKind() {
            return kind;
        }

        @Override
        public boolean isNameCompatible(String simpleName, Kind kind) {
            String n = entry.getName();
            return this.kind == kind && n.substring(n.lastIndexOf('/') + 1).equals(simpleName + kind.extension);
        }

        @Override
        public NestingKind getNestingKind() {
            return null;
        }

        @Override
        public Modifier getAccessLevel() {
            return null;
        }

        @Override
        public URI toUri() {
            try {
                return new URI("jar", jar.path.toUri() + "!/" + entry.getName(), null);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getName() {
            return jar.path + "(" + entry.getName() + ")";
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return jar.zip.getInputStream(entry);
        }

        @Override
        public OutputStream openOutputStream() {
            throw new UnsupportedOperationException("a jar entry on the class path is read-only: " + getName());
        }

        @Override
        public Reader openReader(boolean ignoreEncodingErrors) throws IOException {
            return new InputStreamReader(openInputStream(), StandardCharsets.UTF_8);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            try (InputStream in = openInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public Writer openWriter() {
            throw new UnsupportedOperationException("a jar entry on the class path is read-only: " + getName());
        }

        @Override
        public long getLastModified() {
            return entry.getTime();
        }

        @Override
        public boolean delete() {
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.jar.path.equals(jar.path) && e.entry.getName().equals(entry.getName());
        }

        @Override
        public int hashCode() {
            return jar.path.hashCode() * 31 + entry.getName().hashCode();
        }

        @Override
        public String toString() {
            return getName();
        }
    }
}
