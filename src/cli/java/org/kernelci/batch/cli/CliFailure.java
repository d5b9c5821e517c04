package org.kernelci.batch.cli;

/** Why a command cannot go on, in one line for the operator (exit code 2, no stack trace). */
final class CliFailure extends RuntimeException {
    CliFailure(String message) {
        super(message, null, false, false);
    }

    /** The first line of an exception's message, without PostgreSQL's "ERROR: " or "FATAL: ". */
    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").replaceFirst("^(ERROR|FATAL): ", "").strip();
    }
}
