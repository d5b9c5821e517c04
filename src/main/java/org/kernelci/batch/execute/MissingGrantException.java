package org.kernelci.batch.execute;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.statement.StatementException;
import org.kernelci.batch.ApiException;
import org.kernelci.batch.Problem;
import org.postgresql.util.PSQLException;

/**
 * The service's database role lacks a privilege a statement needs (SQLSTATE 42501). The request
 * is right and succeeds unchanged once an operator grants it, so it is answered 503 (the service
 * cannot serve it now), neither a 4xx (the client did nothing wrong) nor a 500 (the code did
 * nothing wrong). The reason names the object and the privilege, taken from PostgreSQL's message
 * and the statement's kind; never the request's values.
 */
public final class MissingGrantException extends ApiException {
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** PostgreSQL's English message: "permission denied for table job" (before 11: "relation"). */
    private static final Pattern DENIED = Pattern.compile("permission denied for (\\w+) \"?([\\w.]+)\"?");

    private final String serverMessage;

    private MissingGrantException(String reason, String serverMessage, Throwable cause) {
        super(new Problem(Problem.Kind.MISSING_GRANT, reason), reason, cause);
        this.serverMessage = serverMessage;
    }

    /** PostgreSQL's own words, for the log. */
    public String serverMessage() {
        return serverMessage;
    }

    /**
     * The missing grant of a failure whose cause has SQLSTATE 42501.
     *
     * @param statement what failed, or just its kind ({@code "SELECT"}), when the failure does
     *                  not carry it (plain JDBC); null to take it from the failure (JDBI's)
     */
    public static MissingGrantException of(Throwable failure, String statement) {
        SQLException denied = null;
        String failed = statement;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatementException jdbi && failed == null && jdbi.getStatementContext() != null) {
                failed = jdbi.getStatementContext().getRenderedSql();
            }
            if (t instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
                denied = sql;
                break;
            }
        }
        String message = denied == null || denied.getMessage() == null ? ""
                : denied.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
        // A trigger's statement (the rollups', the change counts') is the one that was refused.
        if (denied instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getInternalQuery() != null) {
            failed = psql.getServerErrorMessage().getInternalQuery();
        }
        Matcher matcher = DENIED.matcher(message);
        if (!matcher.find()) {
            return new MissingGrantException("The service's database role lacks a grant this request needs:"
                    + " an operator must grant it (the service's log names it)", message, failure);
        }
        String kind = matcher.group(1).equals("relation") ? "table" : matcher.group(1);
        String object = matcher.group(2);
        String privilege = privilege(kind, object, failed);
        if (privilege == null) {
            return new MissingGrantException("The service's database role lacks a grant on " + kind + " " + object
                    + ": an operator must grant it what this request needs", message, failure);
        }
        return new MissingGrantException("The service's database role lacks " + privilege + " on "
                + kind + " " + object + ": an operator must GRANT " + privilege + " ON "
                + (kind.equals("table") ? "" : kind.toUpperCase(Locale.ROOT) + " ") + object + " to it",
                message, failure);
    }

    /**
     * The privilege the statement needed on the object: on a table, what the statement does to
     * it (INSERT, UPDATE, DELETE, or SELECT for a table it only reads); null when unknown.
     */
    static String privilege(String kind, String object, String statement) {
        if (statement == null) {
            return null;
        }
        String text = statement.strip().toUpperCase(Locale.ROOT);
        return switch (kind) {
            case "table", "view" -> {
                String name = "(?:\\w+\\.)?\"?" + Pattern.quote(object.toUpperCase(Locale.ROOT)) + "\"?(?![\\w\"])";
                if (Pattern.compile("\\bINSERT\\s+INTO\\s+" + name).matcher(text).find()) {
                    yield Pattern.compile("\\bON\\s+CONFLICT\\b.*\\bDO\\s+UPDATE\\b", Pattern.DOTALL).matcher(text).find()
                            ? "INSERT, UPDATE" : "INSERT";
                }
                if (Pattern.compile("\\bUPDATE\\s+(?:ONLY\\s+)?" + name).matcher(text).find()) {
                    yield "UPDATE";
                }
                if (Pattern.compile("\\bDELETE\\s+FROM\\s+(?:ONLY\\s+)?" + name).matcher(text).find()) {
                    yield "DELETE";
                }
                // SELECT ... FOR UPDATE locks rows, which takes UPDATE as well.
                yield Pattern.compile("\\bFOR\\s+(?:NO\\s+KEY\\s+)?UPDATE\\b").matcher(text).find()
                        ? "SELECT, UPDATE" : "SELECT";
            }
            case "sequence" -> "USAGE";
            case "schema" -> text.startsWith("CREATE") || text.startsWith("ALTER") ? "CREATE" : "USAGE";
            case "function", "procedure" -> "EXECUTE";
            default -> null;
        };
    }
}
