package org.kernelci.batch.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.batch.ingest.StoredDocument;
import org.kernelci.batch.ingest.TestGroupReport;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Field;

/** One write, checked and converted: what a plain POST, PUT or DELETE performs. */
public sealed interface Write {

    Collection collection();

    /** Reports to store: {@code POST /<collection>}. */
    record Create(Collection collection, List<StoredDocument> documents) implements Write {
        public Create {
            documents = List.copyOf(documents);
        }
    }

    /**
     * Test group reports to store: {@code POST /test/group}, each a run (or one of its groups) with
     * what it holds (CONTRACT.md section 12.6).
     */
    record TestReport(Collection collection, List<TestGroupReport> groups) implements Write {
        public TestReport {
            groups = List.copyOf(groups);
        }
    }

    /**
     * The members a {@code PUT /<collection>/<id>} sets, {@code updated_on} included; a null
     * value clears its field.
     */
    record Update(Collection collection, String id, Map<Field, Object> values) implements Write {
        public Update {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** {@code DELETE /<collection>/<id>}. */
    record Delete(Collection collection, String id) implements Write {
    }
}
