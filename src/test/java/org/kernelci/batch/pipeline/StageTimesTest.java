package org.kernelci.batch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StageTimesTest {
    @Test
    @DisplayName("each stage counts in its Server-Timing entry: parse, plan and authorise in parse; execute in db")
    void stagesSumIntoTheirEntries() {
        StageTimes times = new StageTimes();
        assertTrue(times.isEmpty());
        long base = System.nanoTime();
        times.end(Stage.PARSE, base);
        times.end(Stage.PLAN, base + 1_000_000);
        times.end(Stage.AUTHORISE, base + 3_000_000);
        times.end(Stage.EXECUTE, base + 7_000_000);
        times.end(Stage.RENDER, base + 7_500_000);
        String header = times.header();
        assertTrue(header.matches("parse;dur=\\d+\\.\\d{3}, db;dur=4\\.000, render;dur=0\\.500"), header);
        // parse: from the times' start to base (however long that was), plus plan's 1 ms and authorise's 2 ms
        double parse = Double.parseDouble(header.substring("parse;dur=".length(), header.indexOf(',')));
        assertTrue(parse >= 3.0, header);
    }

    @Test
    @DisplayName("a stage that did not run has no entry; a stage ended twice sums")
    void onlyTheStagesThatRan() {
        StageTimes times = new StageTimes();
        long base = System.nanoTime();
        times.end(Stage.PARSE, base);
        times.end(Stage.RENDER, base + 2_000_000);
        times.end(Stage.RENDER, base + 2_250_000);
        assertTrue(times.header().matches("parse;dur=\\d+\\.\\d{3}, render;dur=2\\.250"), times.header());
    }

    @Test
    void entriesAreTheDocumentedNames() {
        assertEquals("parse", Stage.PLAN.entry());
        assertEquals("parse", Stage.AUTHORISE.entry());
        assertEquals("db", Stage.EXECUTE.entry());
        assertEquals("render", Stage.RENDER.entry());
    }
}
