package dev.fairshare.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The example messages each service pins under its {@code src/test/resources/contracts/}: the
 * producer's examples of its topics, and the copies its readers keep of the ones they read. The
 * modules are found from a test class, so the paths hold whatever directory the tests run in.
 */
public final class Contracts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Contracts() {}

    /** The contracts directory of the module that {@code testClass} belongs to. */
    public static Path own(Class<?> testClass) {
        return moduleDir(testClass).resolve("src/test/resources/contracts");
    }

    /** The contracts directory of {@code module}, a sibling of {@code testClass}'s module. */
    public static Path of(Class<?> testClass, String module) {
        return moduleDir(testClass)
                .resolveSibling(module)
                .resolve("src/test/resources/contracts")
                .normalize();
    }

    /** The names of the files in {@code testClass}'s contracts directory. */
    public static Set<String> ownFiles(Class<?> testClass) throws IOException {
        try (Stream<Path> files = Files.list(own(testClass))) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * Of the copies {@code names} in {@code testClass}'s module, those that differ as JSON from
     * {@code producer}'s file of the same name, or that {@code producer} does not have.
     */
    public static List<String> drifted(Class<?> testClass, String producer, List<String> names)
            throws IOException {
        List<String> drifted = new ArrayList<>();
        for (String name : names) {
            Path theirs = of(testClass, producer).resolve(name);
            if (!Files.isRegularFile(theirs)
                    || !MAPPER.readTree(own(testClass).resolve(name).toFile())
                            .equals(MAPPER.readTree(theirs.toFile()))) {
                drifted.add(name);
            }
        }
        return drifted;
    }

    /** Maven's {@code basedir} when it runs the tests, else the module the class was built in. */
    static Path moduleDir(Class<?> testClass) {
        String basedir = System.getProperty("basedir");
        try {
            if (basedir != null) {
                return Path.of(basedir).toRealPath();
            }
            // <module>/target/test-classes
            Path classes =
                    Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().toRealPath();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot find the module of " + testClass, e);
        }
    }
}
