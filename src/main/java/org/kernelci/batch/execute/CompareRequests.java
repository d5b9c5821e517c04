package org.kernelci.batch.execute;

import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;
import org.kernelci.batch.jdbc.BoundValue;
import org.kernelci.batch.plan.CompareKind;
import org.kernelci.batch.plan.ComparePlan;
import org.kernelci.batch.sql.CompareSql;
import org.kernelci.batch.sql.SqlQuery;

/**
 * The kept compare requests (CONTRACT.md section 12.5), on the primary, as writes are: a request
 * is read back right after it is kept (the frontend follows its id at once), before a replica
 * may have it.
 */
public final class CompareRequests {
    private final Database database;

    public CompareRequests(Database database) {
        this.database = database;
    }

    /** Keeps the request under its id: true when kept now, false when it was kept before. */
    public boolean keep(ComparePlan plan) {
        SqlQuery keep = CompareSql.keep(plan);
        return database.write(handle -> bind(handle.createUpdate(keep.text()), keep).execute()) == 1;
    }

    /** The request kept under the id for the kind (its JSON), if any. */
    public Optional<String> find(CompareKind kind, String id) {
        SqlQuery kept = CompareSql.kept(kind, id);
        return database.withHandle(handle -> bind(handle.createQuery(kept.text()), kept).mapTo(String.class).findOne());
    }

    private static <S extends SqlStatement<S>> S bind(S statement, SqlQuery query) {
        for (int i = 0; i < query.binds().size(); i++) {
            statement.bind(i, new BoundValue(query.binds().get(i), null));
        }
        return statement;
    }
}
