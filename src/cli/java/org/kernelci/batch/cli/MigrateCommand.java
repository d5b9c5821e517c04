package org.kernelci.batch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Applies the migrations in {@code sql/} (every command does this first) and prints the version. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Applies the database migrations and prints the schema version.")
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    private DatabaseOptions database;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DatabaseOptions.OpenDatabase open = database.open();
        spec.commandLine().getOut().printf("%s: schema version %s (%d migrations applied now)%n",
                database.url(), open.schemaVersion(), open.migrationsApplied());
        return 0;
    }
}
