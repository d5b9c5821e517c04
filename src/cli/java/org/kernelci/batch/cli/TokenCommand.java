package org.kernelci.batch.cli;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.auth.Permission;
import org.kernelci.batch.auth.TokenRequest;
import org.kernelci.batch.auth.TokenStore;
import org.kernelci.batch.execute.Database;
import org.kernelci.batch.execute.Probe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Tokens, made straight in the database: what {@code POST /token} does, without an admin token. */
@Command(name = "token", mixinStandardHelpOptions = true, subcommands = TokenCommand.Create.class,
        description = "Makes tokens.")
final class TokenCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a token command is needed: create");
    }

    /**
     * {@code token create}: the members of {@code post_token.json} as options, checked by the same
     * {@link TokenRequest} as {@code POST /token}; prints the value, shown this once.
     */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes a token and prints its value (only a hash is stored: it is shown this once). "
                    + "--admin implies all but the lab roles; --superuser implies reading and writing.")
    static final class Create implements Callable<Integer> {
        @Mixin
        private DatabaseOptions database;

        @Option(names = "--email", required = true, description = "who the token is for")
        private String email;

        @Option(names = "--username")
        private String username;

        @Option(names = "--admin")
        private boolean admin;

        @Option(names = "--superuser")
        private boolean superuser;

        @Option(names = "--get", description = "may read")
        private boolean get;

        @Option(names = "--post", description = "may write")
        private boolean post;

        @Option(names = "--delete")
        private boolean delete;

        @Option(names = "--create-token")
        private boolean createToken;

        @Option(names = "--lab", description = "a lab's token: may post boot reports")
        private boolean lab;

        @Option(names = "--test-lab")
        private boolean testLab;

        @Option(names = "--upload")
        private boolean upload;

        @Option(names = "--ip", paramLabel = "ADDRESS", description = "restricts the token to this address or CIDR range (repeatable)")
        private List<String> addresses = List.of();

        @Option(names = "--expires-on", paramLabel = "DATE", description = "YYYY-MM-DD (UTC) or an ISO-8601 date-time")
        private String expiresOn;

        @Option(names = "--json", description = "print the token as a JSON object (id, email, permissions, token)")
        private boolean json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TokenRequest request;
            try {
                request = TokenRequest.parse(body(), true);
            } catch (ApiException e) {
                throw new CliFailure(e.reason());
            }
            DataSource dataSource = database.open().dataSource();
            Database store = new Database(dataSource, false, handle -> { }, 10_000, Probe.through(dataSource));
            TokenStore.Created created = new TokenStore(store, Clock.systemUTC()).create(request);
            PrintWriter out = spec.commandLine().getOut();
            List<String> permissions = created.token().permissions().stream().sorted().map(Permission::member).toList();
            if (json) {
                try (Jsonb jsonb = JsonbBuilder.create()) {
                    out.println(jsonb.toJson(new CreatedToken(created.token().id(), created.token().email(),
                            permissions, created.value())));
                }
            } else {
                out.println(created.value());
                spec.commandLine().getErr().println("token " + created.token().id() + " for " + email + ": "
                        + String.join(", ", permissions) + " (the value above is shown only this once)");
            }
            return 0;
        }

        /** The options as the body of a {@code POST /token}. */
        private jakarta.json.JsonObject body() {
            JsonObjectBuilder body = Json.createObjectBuilder().add("email", email);
            if (username != null) {
                body.add("username", username);
            }
            boolean[] flags = {admin, superuser, get, post, delete, createToken, lab, testLab, upload};
            Permission[] permissions = {Permission.ADMIN, Permission.SUPERUSER, Permission.GET, Permission.POST,
                    Permission.DELETE, Permission.CREATE_TOKEN, Permission.LAB, Permission.TEST_LAB, Permission.UPLOAD};
            for (int i = 0; i < flags.length; i++) {
                if (flags[i]) {
                    body.add(permissions[i].member(), true);
                }
            }
            if (!addresses.isEmpty()) {
                JsonArrayBuilder list = Json.createArrayBuilder();
                addresses.forEach(list::add);
                body.add(Permission.IP_RESTRICTED.member(), true).add("ip_address", list);
            }
            if (expiresOn != null) {
                body.add("expires_on", expiresOn);
            }
            return body.build();
        }
    }

    /** What {@code --json} prints, mapped by JSON-B. */
    @JsonbPropertyOrder({"id", "email", "permissions", "token"})
    public record CreatedToken(String id, String email, List<String> permissions, String token) {
    }
}
