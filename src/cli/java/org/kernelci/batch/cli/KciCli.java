package org.kernelci.batch.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operators' command-line tool, {@code java -jar target/kci-batch-cli.jar}: import, migrate,
 * generate and token commands against the database named by {@code KCI_DB_URL},
 * {@code KCI_DB_USER} and {@code KCI_DB_PASSWORD} (or {@code --password-file}); a password is
 * never an argument, where {@code ps} would show it.
 *
 * <p>Exit codes: 0 done; 1 an import rejected some lines; 2 a usage error or a database or file
 * that cannot be used, told in one line; 3 an unexpected failure, with its stack trace.
 */
@Command(name = "kci-batch-cli", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        subcommands = {ImportCommand.class, MigrateCommand.class, GenerateCommand.class, TokenCommand.class},
        description = "Operators' tools for kci-batch. The database: KCI_DB_URL, KCI_DB_USER, KCI_DB_PASSWORD.")
public final class KciCli implements Runnable {
    static final int REJECTED = 1;
    static final int CANNOT = 2;
    static final int UNEXPECTED = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs one command line; what it prints goes to {@code out}, failures to {@code err}.
     *
     * @param environment where the {@code KCI_DB_*} settings are read
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new KciCli(), new Factory(environment));
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setExecutionExceptionHandler((exception, command, parsed) -> {
            if (exception instanceof CliFailure failure) {
                command.getErr().println("kci-batch-cli: " + failure.getMessage());
                return CANNOT;
            }
            command.getErr().println("kci-batch-cli: unexpected failure");
            exception.printStackTrace(command.getErr());
            return UNEXPECTED;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    /** Gives each command's database options the environment to read. */
    private record Factory(Map<String, String> environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == DatabaseOptions.class) {
                return type.cast(new DatabaseOptions(environment));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
