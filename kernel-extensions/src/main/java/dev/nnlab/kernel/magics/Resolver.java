package dev.nnlab.kernel.magics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/** Resolves Maven coordinates with their runtime dependencies, through Maven's own resolver. */
final class Resolver {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static RepositorySystem system;

    private Resolver() {
    }

    /** Jar files for the coordinates and their transitive runtime dependencies. */
    static List<Path> resolve(List<String> coordinates, List<String> repositories)
            throws DependencyResolutionException {
        RepositorySystem sys = system();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(sys.newLocalRepositoryManager(session, new LocalRepository(localRepo())));
        List<RemoteRepository> repos = new ArrayList<>();
        repos.add(new RemoteRepository.Builder("central", "default", CENTRAL).build());
        for (int i = 0; i < repositories.size(); i++) {
            repos.add(new RemoteRepository.Builder("repo" + i, "default", repositories.get(i)).build());
        }
        CollectRequest collect = new CollectRequest();
        collect.setRepositories(repos);
        for (String c : coordinates) {
            collect.addDependency(new Dependency(new DefaultArtifact(c), JavaScopes.RUNTIME));
        }
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult r : sys.resolveDependencies(session, request).getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                jars.add(r.getArtifact().getFile().toPath());
            }
        }
        return jars;
    }

    private static synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private static String localRepo() {
        String p = System.getProperty("maven.repo.local");
        return p != null ? p : Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }
}
