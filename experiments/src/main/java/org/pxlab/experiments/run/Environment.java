package org.pxlab.experiments.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * environment.json: what a result depends on besides the suite. The JDK and its flags, the
 * CPU, cores, memory and OS, pxlab's version and the git commit it was built from (asked of
 * git in pxlab.jar's folder; {@code unknown} outside a checkout).
 */
final class Environment {
    private Environment() {}

    /** The fields of environment.json, in the contract's order. */
    static Map<String, Object> describe() {
        Map<String, Object> e = new LinkedHashMap<>();
        String version = Environment.class.getPackage().getImplementationVersion();
        e.put("pxlab_version", version == null ? "development" : version);
        e.put("pxlab_commit", commit());
        e.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        e.put("jvm_flags", List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        e.put("cpu_model", cpuModel());
        e.put("cores", Runtime.getRuntime().availableProcessors());
        e.put("memory_bytes", memory());
        e.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return e;
    }

    private static String commit() {
        try {
            // pxlab.jar's folder (experiments/target) is inside the checkout it was built from.
            Path where = Path.of(Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory((Files.isDirectory(where) ? where : where.getParent()).toFile())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable
        }
        return System.getProperty("os.arch");
    }

    private static long memory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
