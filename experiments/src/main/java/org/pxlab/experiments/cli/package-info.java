/**
 * The {@code pxlab} command line: {@link org.pxlab.experiments.cli.PxlabMain} is the entry
 * point of {@code experiments/target/pxlab.jar} and of the {@code ./pxlab} launcher.
 *
 * <p>Each subcommand is one class. They read components and configurations from a
 * {@link org.pxlab.runtime.config.ComponentRegistry} handed down by
 * {@link org.pxlab.experiments.cli.PxlabCommand}, so tests run them in-process against the
 * test class path. User errors (an unknown name, a bad option) end with one line on stderr
 * and exit status 2, never a stack trace; see
 * {@link org.pxlab.experiments.cli.ConfigurationErrorHandler}.
 */
package org.pxlab.experiments.cli;
