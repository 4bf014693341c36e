package org.pxlab.experiments.cli;

import org.pxlab.runtime.config.ComponentRegistry;

/** Entry point of {@code pxlab.jar}: runs the command line and exits with its status. */
public final class PxlabMain {
    private PxlabMain() {}

    public static void main(String[] args) {
        System.exit(PxlabCommand.commandLine(ComponentRegistry::load).execute(args));
    }
}
