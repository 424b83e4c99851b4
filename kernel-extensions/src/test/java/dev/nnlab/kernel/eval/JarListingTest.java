package dev.nnlab.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager.Location;
import javax.tools.JavaFileObject;
import javax.tools.JavaFileObject.Kind;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-path listing, against javac's own standard file manager on the same class path. */
class JarListingTest {
    @TempDir
    static Path tmp;
    static Path jar, dir;
    static StandardJavaFileManager javac;
    static JarListing ours;

    @BeforeAll
    static void classPath() throws IOException {
        jar = tmp.resolve("lib.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMulti-Release: true\n");
            z.putNextEntry(new ZipEntry("a/"));
            z.closeEntry();
            put(z, "a/B.class", "base B");
            put(z, "a/D.java", "package a; class D {}");
            put(z, "a/notes.txt", "other");
            put(z, "a/page.html", "<p>");
            put(z, "a/b/C.class", "C");
            put(z, "a/b/c/E.class", "E");
            put(z, "a/bad-name/F.class", "not a package");
            put(z, "a/b/bad-name/G.class", "not a package either");
            put(z, "Top.class", "top");
            put(z, "META-INF/versions/9/a/B.class", "versioned B");
            put(z, "META-INF/versions/9/a/H.class", "only versioned");
        }
        dir = tmp.resolve("classes");
        write(dir.resolve("a/B.class"), "directory B");
        write(dir.resolve("a/Q.class"), "Q");
        write(dir.resolve("a/b/R.class"), "R");
        write(dir.resolve("a/bad-dir/S.class"), "S");
        write(dir.resolve("p/T.java"), "package p; class T {}");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        javac = compiler.getStandardFileManager(null, null, null);
        ours = new JarListing(compiler.getStandardFileManager(null, null, null));
        // dir/a as well: a file under both is listed under the binary name of the entry it was found through
        List<Path> path = List.of(jar, dir, dir.resolve("a"), tmp.resolve("missing.jar"), tmp.resolve("missing-dir"));
        javac.setLocationFromPaths(StandardLocation.CLASS_PATH, path);
        ours.setLocationFromPaths(StandardLocation.CLASS_PATH, path);
    }

    @AfterAll
    static void close() throws IOException {
        javac.close();
        ours.close();
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Each listed file as binary name, kind and content, in the order listed. */
    private static List<String> listing(StandardJavaFileManager fm, String pkg, Set<Kind> kinds, boolean recurse)
            throws IOException {
        List<String> out = new ArrayList<>();
        for (JavaFileObject f : fm.list(StandardLocation.CLASS_PATH, pkg, kinds, recurse)) {
            String content;
            try (InputStream in = f.openInputStream()) {
                content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            out.add(fm.inferBinaryName(StandardLocation.CLASS_PATH, f) + " " + f.getKind() + " " + content);
        }
        return out;
    }

    @Test
    void listsWhatJavacLists() throws IOException {
        Set<Kind> all = EnumSet.allOf(Kind.class);
        for (String pkg : List.of("", "a", "a.b", "a.b.c", "b", "p", "nothing.here")) {
            for (Set<Kind> kinds : List.of(EnumSet.of(Kind.CLASS), EnumSet.of(Kind.CLASS, Kind.SOURCE), all)) {
                for (boolean recurse : new boolean[] {false, true}) {
                    List<String> expected = listing(javac, pkg, kinds, recurse), actual = listing(ours, pkg, kinds, recurse);
                    String what = "package '" + pkg + "', " + kinds + (recurse ? ", recursing" : "");
                    assertEquals(new TreeSet<>(expected), new TreeSet<>(actual), what);
                    assertEquals(expected.size(), actual.size(), what);
                }
            }
        }
    }

    @Test
    void anEarlierClassPathEntryComesFirst() throws IOException {
        List<String> a = listing(ours, "a", EnumSet.of(Kind.CLASS), false);
        assertEquals(List.of("a.B CLASS base B", "a.B CLASS directory B", "a.Q CLASS Q"),
                a.stream().filter(s -> s.startsWith("a.B ") || s.startsWith("a.Q ")).toList());
    }

    @Test
    void jarEntriesAnswerAsJavacsDo() throws IOException {
        List<JavaFileObject> mine = new ArrayList<>(), theirs = new ArrayList<>();
        ours.list(StandardLocation.CLASS_PATH, "a.b", EnumSet.of(Kind.CLASS), false).forEach(mine::add);
        javac.list(StandardLocation.CLASS_PATH, "a.b", EnumSet.of(Kind.CLASS), false).forEach(theirs::add);
        JavaFileObject c = mine.stream().filter(f -> f.getName().endsWith("C.class)")).findFirst().orElseThrow();
        JavaFileObject again = ours.list(StandardLocation.CLASS_PATH, "a.b", EnumSet.of(Kind.CLASS), false)
                .iterator().next();
        assertTrue(c.isNameCompatible("C", Kind.CLASS));
        assertFalse(c.isNameCompatible("C", Kind.SOURCE));
        assertFalse(c.isNameCompatible("B", Kind.CLASS));
        assertTrue(ours.isSameFile(c, again));
        assertTrue(ours.contains(StandardLocation.CLASS_PATH, c));
        assertFalse(ours.contains(StandardLocation.SOURCE_PATH, c));
        assertEquals(theirs.get(0).toUri(), c.toUri());
        assertEquals(jar.toAbsolutePath().normalize() + "(a/b/C.class)", c.getName());
        assertEquals("C", c.getCharContent(true).toString());
        assertEquals(Files.getLastModifiedTime(jar).toMillis() / 2000, theirs.get(0).getLastModified() / 2000);
        assertEquals(theirs.get(0).getLastModified() / 2000, c.getLastModified() / 2000);
    }

    @Test
    void runTimeImageFilesHaveTheBinaryNamesJavacGivesThem() throws IOException {
        try (StandardJavaFileManager standard = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
             JarListing mine = new JarListing(standard)) {
            List<String> packages = List.of("java.lang", "java.util", "java.util.concurrent", "javax.swing", "jdk.jshell");
            int files = 0;
            for (Set<Location> modules : mine.listLocationsForModules(StandardLocation.SYSTEM_MODULES)) {
                for (Location module : modules) {
                    for (String pkg : packages) {
                        for (JavaFileObject f : mine.list(module, pkg, EnumSet.allOf(Kind.class), false)) {
                            String expected = standard.inferBinaryName(module, f);
                            assertEquals(expected, mine.inferBinaryName(module, f), f.getName());
                            assertEquals(expected, mine.inferBinaryName(module, f), "asked again: " + f.getName());
                            files++;
                        }
                    }
                }
            }
            assertTrue(files > 1000, files + " files");
            // a class-path file asked for under an image's location is javac's to answer
            JavaFileObject b = mine.getJavaFileObjects(dir.resolve("a/B.class")).iterator().next();
            Location base = mine.getLocationForModule(StandardLocation.SYSTEM_MODULES, "java.base");
            assertEquals(standard.inferBinaryName(base, b), mine.inferBinaryName(base, b));
        }
    }

    @Test
    void theJvmsClassPathJarsAreIndexedAhead() {
        List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(Path::of).filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().normalize()).toList();
        assumeFalse(jars.isEmpty(), "this JVM's class path holds no jar");
        jars.forEach(JarListing.JARS::remove);
        JarListing.indexClassPath();
        List<Path> missing = jars.stream().filter(j -> !JarListing.JARS.containsKey(j)).toList();
        jars.forEach(JarListing.JARS::remove);
        assertEquals(List.of(), missing, "class-path jars not indexed");
    }

    @Test
    void aFileThatIsNoZipIsSkipped() throws IOException {
        Path notZip = tmp.resolve("notes.txt");
        Files.writeString(notZip, "not a zip");
        try (JarListing fm = new JarListing(ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null))) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(notZip, dir));
            assertEquals(List.of("a.Q CLASS Q"), listing(fm, "a", EnumSet.of(Kind.CLASS), false).stream()
                    .filter(s -> s.startsWith("a.Q")).toList());
        }
    }

    @Test
    void jshellCompilesAgainstAJarAddedToTheClassPath() throws IOException {
        Path src = tmp.resolve("src/lib/Greeter.java"), out = tmp.resolve("out");
        write(src, "package lib; public class Greeter { public static String hi(int n) { return \"hi\" + n; } }");
        Files.createDirectories(out);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(), src.toString()));
        Path greeter = tmp.resolve("greeter.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(greeter))) {
            z.putNextEntry(new ZipEntry("lib/Greeter.class"));
            z.write(Files.readAllBytes(out.resolve("lib/Greeter.class")));
            z.closeEntry();
        }
        try (Repl repl = new Repl(JarListingTest.class.getClassLoader())) {
            repl.addToClasspath(greeter.toString());
            assertEquals("hi3", repl.eval("lib.Greeter.hi(3)", "t", 0));
            assertEquals("hi4", repl.eval("import lib.*; Greeter.hi(4)", "t", 0));
        }
    }
}
