package org.pxlab.experiments.cli;

import org.pxlab.runtime.config.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a {@link ConfigurationException} thrown by a subcommand into {@code pxlab: <message>}
 * on stderr and exit status 2, the status picocli gives its own usage errors: both mean "what
 * you typed is wrong", and the exception's message already names the field, the value and
 * what is allowed, so a stack trace would only bury it.
 *
 * <p>Any other exception is a bug in pxlab and is rethrown, so picocli prints its stack trace
 * and exits with status 1.
 */
final class ConfigurationErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) throws Exception {
        if (!(e instanceof ConfigurationException)) throw e;
        command.getErr().println("pxlab: " + e.getMessage());
        command.getErr().flush();
        return CommandLine.ExitCode.USAGE;
    }
}
