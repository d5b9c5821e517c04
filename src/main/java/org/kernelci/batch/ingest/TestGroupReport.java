package org.kernelci.batch.ingest;

import java.util.List;

/**
 * A test group as {@code POST /test/group} reports it (CONTRACT.md section 12.6): its document,
 * and its cases' and sub-groups' in the report's order. The documents are complete but for what
 * the writer decides: their references to each other ({@code parent_id}, {@code test_group_id}),
 * to the job and the build, and, when the report replaces a stored run, their ids.
 */
public record TestGroupReport(StoredDocument group, List<StoredDocument> cases, List<TestGroupReport> subGroups) {
    public TestGroupReport {
        cases = List.copyOf(cases);
        subGroups = List.copyOf(subGroups);
    }
}
