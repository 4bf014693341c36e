package org.pxlab.experiments.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code pxlab --version}: the {@code Implementation-Version} Maven writes into the jar's
 * manifest, so the version lives in the pom alone. Classes run from a directory (an IDE, the
 * tests) have no manifest and report {@code (development build)}.
 */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return new String[] {"pxlab " + (version == null ? "(development build)" : version)};
    }
}
